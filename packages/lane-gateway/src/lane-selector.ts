import type { IncomingHttpHeaders } from 'node:http';
import { extractLane, type LaneCarrier, type LaneHeaders, type TraceContextLevel } from '@lanes/trace-context';
import type { ServiceConfig, Stickiness } from './config-types.js';
import type { LaneChoice } from './events.js';
import { readCookie } from './http-headers.js';

/** What the selector decided for one request. */
export interface LaneSelection {
  lane: string;
  choice: LaneChoice;
  /** The lane the request was tagged with, if any (it may not exist for this service). */
  requestedLane: string | undefined;
  /** Set when the gateway chose the lane (weighted split): write it downstream so the call chain stays there. */
  inject: boolean;
  /** A sticky cookie to set on the response, when the client had none. */
  setCookie: string | undefined;
}

const BUCKETS = 10_000;

/** FNV-1a: cheap, stable across processes and restarts, good enough spread for bucketing. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Chooses the lane of each request of one service: the tag when the lane exists, else the weighted split. */
export class LaneSelector {
  private readonly lanes: ReadonlySet<string>;
  /** Cumulative bucket bounds of the weighted split; empty when every untagged request goes to `default`. */
  private readonly split: { lane: string; upTo: number }[] = [];
  private readonly stickiness: Stickiness | undefined;
  private readonly untagged: LaneSelection = {
    lane: 'default',
    choice: 'default',
    requestedLane: undefined,
    inject: false,
    setCookie: undefined,
  };

  constructor(
    service: ServiceConfig,
    private readonly carriers: readonly LaneCarrier[],
    private readonly requireTraceparent: boolean,
    private readonly traceContextLevel: TraceContextLevel = 2,
  ) {
    this.lanes = new Set(Object.keys(service.lanes));
    this.stickiness = service.stickiness;
    const weighted = Object.entries(service.lanes)
      .filter(([, lane]) => lane.weight > 0)
      .sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
    const total = weighted.reduce((sum, [, lane]) => sum + lane.weight, 0);
    const onlyDefault = weighted.length === 1 && weighted[0]?.[0] === 'default';
    if (!onlyDefault && total > 0) {
      let cumulative = 0;
      for (const [name, lane] of weighted) {
        cumulative += lane.weight;
        this.split.push({ lane: name, upTo: Math.round((cumulative / total) * BUCKETS) });
      }
    }
  }

  select(headers: IncomingHttpHeaders): LaneSelection {
    // Fast path: no lane header at all skips the parser.
    if (headers.tracestate !== undefined || headers.baggage !== undefined) {
      // Node's header bag is a LaneHeaders (string | string[] per name); TS's weak-type check cannot see that.
      const tag = extractLane(headers as LaneHeaders, {
        carriers: this.carriers,
        requireTraceparent: this.requireTraceparent,
        traceContextLevel: this.traceContextLevel,
      });
      if (tag) {
        const exists = this.lanes.has(tag.lane);
        return {
          lane: exists ? tag.lane : 'default',
          choice: exists ? 'tag' : 'fallback',
          requestedLane: tag.lane,
          inject: false,
          setCookie: undefined,
        };
      }
    }
    if (this.split.length === 0) return this.untagged;
    return this.splitByWeight(headers);
  }

  private splitByWeight(headers: IncomingHttpHeaders): LaneSelection {
    let key: string | undefined;
    let setCookie: string | undefined;
    const sticky = this.stickiness;
    if (sticky && 'header' in sticky) {
      const value = headers[sticky.header];
      key = Array.isArray(value) ? value[0] : value;
    } else if (sticky) {
      key = readCookie(headers.cookie, sticky.cookie);
      if (key === undefined) {
        key = Math.random().toString(36).slice(2, 12);
        setCookie = `${sticky.cookie}=${key}; Path=/; HttpOnly; SameSite=Lax`;
      }
    }
    const bucket = key === undefined ? Math.floor(Math.random() * BUCKETS) : hashKey(key) % BUCKETS;
    let lane = 'default';
    for (const range of this.split) {
      if (bucket < range.upTo) {
        lane = range.lane;
        break;
      }
    }
    return { lane, choice: key === undefined ? 'weight' : 'sticky', requestedLane: undefined, inject: true, setCookie };
  }
}
