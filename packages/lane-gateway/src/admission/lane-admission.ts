import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import {
  extractLane,
  isWellFormedPercentEncoding,
  LANE_BAGGAGE_KEY,
  LANE_TRACESTATE_KEY,
  type LaneCarrier,
  type LaneHeaders,
  rawBaggageValue,
  removeLane,
} from '@lanes/trace-context';
import type { AdmissionConfig } from '../config-types.js';
import { GatewayConfigError } from '../errors.js';
import { CidrList } from './cidr-list.js';
import { checkLaneToken } from './lane-token.js';
import type { StripReason } from './strip-reasons.js';
import { loadOrCreateTokenKey, TokenKeyError } from './token-key.js';

/** Where a client may carry its lane token: a header, or a baggage member next to the lane. */
export const LANE_TOKEN_HEADER = 'x-lane-token';
export const LANE_TOKEN_BAGGAGE_KEY = 'lane-token';

/** A lane tag the gateway removed, and why; `lane` is the lane asked for, when the tag named a valid one. */
export interface StrippedTag {
  lane: string | undefined;
  reason: StripReason;
}

const TOKEN_REASONS = {
  malformed: 'token-malformed',
  forged: 'token-forged',
  expired: 'token-expired',
  'wrong-lane': 'token-wrong-lane',
} as const;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Decides who may choose a lane. A trusted client keeps its tag; anyone else keeps it only for an open lane or
 * with a valid token for that lane, and otherwise loses exactly the lane members (tracestate `ctx`, baggage
 * `lane`), so the request is untagged for the selector and for every service down the chain.
 */
export class LaneAdmission {
  private readonly trusted: CidrList;
  private readonly hops: number;
  private readonly open: ReadonlySet<string>;
  private readonly key: Uint8Array | undefined;
  private readonly maxTtlMs: number;

  constructor(
    config: AdmissionConfig,
    private readonly carriers: readonly LaneCarrier[],
    private readonly requireTraceparent: boolean,
  ) {
    this.trusted = new CidrList(config.trusted);
    this.hops = config.trustedHops;
    this.open = new Set(config.openLanes);
    this.maxTtlMs = config.tokens?.maxTtlMs ?? 0;
    try {
      this.key = config.tokens ? loadOrCreateTokenKey(config.tokens.keyFile) : undefined;
    } catch (error) {
      if (!(error instanceof TokenKeyError)) throw error;
      throw new GatewayConfigError([{ path: 'admission.tokens.keyFile', message: error.message }]);
    }
  }

  /**
   * Admits or strips the lane tag of `req`, editing `req.headers` in place when it strips. Returns what it
   * stripped, or `undefined`. A request without a lane member costs two `includes` and allocates nothing.
   */
  check(req: IncomingMessage): StrippedTag | undefined {
    const headers = req.headers;
    const tracestate = single(headers.tracestate);
    const baggage = single(headers.baggage);
    const hasCtx = tracestate?.includes(LANE_TRACESTATE_KEY) === true;
    const hasLane = baggage?.includes(LANE_BAGGAGE_KEY) === true;
    if (!hasCtx && !hasLane) return undefined;
    const badEncoding = hasLane && baggage!.includes('%') && !isWellFormedPercentEncoding(rawLane(baggage!));
    if (this.isTrusted(req)) {
      if (!badEncoding) return undefined;
      strip(headers, 'baggage', baggage);
      return { lane: undefined, reason: 'bad-encoding' };
    }
    // Node's header bag is a LaneHeaders (string | string[] per name); TS's weak-type check cannot see that.
    const tag = extractLane(headers as LaneHeaders, {
      carriers: this.carriers,
      requireTraceparent: this.requireTraceparent,
    });
    let reason: StripReason | undefined;
    if (tag) {
      reason = this.open.has(tag.lane) ? undefined : this.tokenProblem(headers, baggage, tag.lane);
      if (reason === undefined) {
        dropOtherLanes(headers, tag.carrier, tag.lane, tracestate, baggage);
        return undefined;
      }
    } else reason = badEncoding ? 'bad-encoding' : 'invalid-tag';
    const removed = strip(headers, 'tracestate', tracestate) + strip(headers, 'baggage', baggage);
    return removed > 0 ? { lane: tag?.lane, reason } : undefined;
  }

  /**
   * The peer, or with `trustedHops: N` and a trusted peer, the Nth address from the right of X-Forwarded-For: each
   * proxy appends the address it saw (nginx `$proxy_add_x_forwarded_for`), so only the right end was written by
   * proxies we trust and everything left of it is the client's own claim
   * (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#var_proxy_add_x_forwarded_for).
   */
  isTrusted(req: IncomingMessage): boolean {
    const peer = req.socket.remoteAddress;
    if (peer === undefined || !this.trusted.contains(peer)) return false;
    if (this.hops === 0) return true;
    const forwarded = single(req.headers['x-forwarded-for']);
    // No header: the trusted proxy itself made the request.
    if (forwarded === undefined) return true;
    let end = forwarded.length;
    let start = 0;
    for (let hop = 1; hop <= this.hops; hop++) {
      const comma = end > 0 ? forwarded.lastIndexOf(',', end - 1) : -1;
      start = comma + 1;
      // Fewer entries than hops: every entry was written by a trusted proxy, so the leftmost is the client.
      if (hop === this.hops || comma < 0) break;
      end = comma;
    }
    while (start < end && isOws(forwarded.charCodeAt(start))) start++;
    while (end > start && isOws(forwarded.charCodeAt(end - 1))) end--;
    return this.trusted.contains(forwarded, start, end);
  }

  private tokenProblem(
    headers: IncomingHttpHeaders,
    baggage: string | undefined,
    lane: string,
  ): StripReason | undefined {
    if (!this.key) return 'untrusted';
    let token = single(headers[LANE_TOKEN_HEADER]);
    if (token === undefined && baggage !== undefined) token = rawBaggageValue(baggage, LANE_TOKEN_BAGGAGE_KEY);
    if (token === undefined) return 'untrusted';
    const now = Date.now();
    const check = checkLaneToken(this.key, token.trim(), lane, now);
    if (check.type !== 'valid') return TOKEN_REASONS[check.type];
    // Lowering maxTtlMs also retires tokens issued under the old, longer limit.
    return check.expiresAt - now > this.maxTtlMs ? 'token-too-long' : undefined;
  }
}

function rawLane(baggage: string): string {
  return rawBaggageValue(baggage, LANE_BAGGAGE_KEY) ?? '';
}

/**
 * An outsider admitted to `lane` keeps no other lane in the carrier it was not admitted by: a service that reads
 * the carriers in another order must not find a lane the gateway never admitted.
 */
function dropOtherLanes(
  headers: IncomingHttpHeaders,
  admittedBy: LaneCarrier,
  lane: string,
  tracestate: string | undefined,
  baggage: string | undefined,
): void {
  const carrier: LaneCarrier = admittedBy === 'tracestate' ? 'baggage' : 'tracestate';
  const value = carrier === 'tracestate' ? tracestate : baggage;
  if (value === undefined) return;
  if (extractLane(headers as LaneHeaders, { carriers: [carrier] })?.lane !== lane) strip(headers, carrier, value);
}

/** Removes the lane member of one carrier from the request; 1 when something was removed. */
function strip(headers: IncomingHttpHeaders, carrier: LaneCarrier, value: string | undefined): number {
  if (value === undefined) return 0;
  const out = removeLane(carrier, value);
  if (out === value) return 0;
  if (out.trim() === '') delete headers[carrier];
  else headers[carrier] = out;
  return 1;
}
