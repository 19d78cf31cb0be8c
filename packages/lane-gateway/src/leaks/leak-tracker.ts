import { type HeaderInput, parseTraceparent } from '@lanes/trace-context';
import type { GatewayConfig, LeaksConfig } from '../config-types.js';
import type { GatewayEventSink } from '../events.js';
import { BoundedLru } from './bounded-lru.js';

/** How many lane leaks one process counts, by the hop where the lane was lost. */
export interface LeakCount {
  /** The service the trace's previous hop was routed to: the one that called without the lane. */
  from: string;
  /** The service the leaking hop was routed to. */
  to: string;
  /** The lane the trace carried before. */
  lane: string;
  count: number;
}

/** What the gateway remembers of one traced chain. */
interface TraceEntry {
  /** The lane the chain carried when the gateway first saw it in a lane. */
  readonly lane: string;
  /** The service the latest hop that carried the lane went to. */
  service: string;
  /** Counted already: later hops of a leaked chain are its consequence, not new leaks. */
  leaked: boolean;
  /** `Date.now()` of the latest hop, for the time to live. */
  seenAt: number;
}

/** Log lines per second per process; a flood of leaks is counted in full but cannot fill the disk. */
const LOG_LINES_PER_SECOND = 10;

/**
 * Lane-leak detection. The first hop of a trace (W3C `traceparent` trace id) that carries a lane records it; a later
 * hop of the same trace that carries no lane, or another one, has left the lane: counted once per trace, by
 * (previous hop's service, this hop's service, lane), and logged. Memory is bounded by `maxTraces` (an LRU).
 */
export class LeakTracker {
  private settings: LeaksConfig;
  private readonly traces: BoundedLru<string, TraceEntry>;
  /** Lanes some service has: a made-up lane tag is no chain to follow, and cannot grow the counters' label set. */
  private lanes: ReadonlySet<string> = new Set();
  private readonly counts = new Map<string, LeakCount>();
  private logWindowStart = 0;
  private loggedInWindow = 0;
  private suppressed = 0;

  constructor(
    config: GatewayConfig,
    private readonly emit: GatewayEventSink | undefined,
  ) {
    this.settings = config.leaks;
    this.traces = new BoundedLru(config.leaks.maxTraces);
    this.configure(config);
  }

  /** Applies a reloaded configuration; remembered traces and counters survive. */
  configure(config: GatewayConfig): void {
    this.settings = config.leaks;
    if (!config.leaks.enabled) this.traces.clear();
    this.traces.resize(config.leaks.maxTraces);
    const lanes = new Set<string>();
    for (const service of Object.values(config.services))
      for (const lane of Object.keys(service.lanes)) lanes.add(lane);
    lanes.delete('default');
    this.lanes = lanes;
  }

  get tracked(): number {
    return this.traces.size;
  }

  /**
   * One hop: `carried` is the lane the request brought (its tag, or the lane the gateway wrote into it), `service`
   * where it was routed. Costs one header check when the request has no `traceparent`.
   */
  observe(traceparent: HeaderInput, carried: string | undefined, service: string, at?: number): void {
    if (traceparent === undefined || !this.settings.enabled) return;
    const traceId = parseTraceparent(traceparent)?.traceId;
    if (traceId === undefined) return;
    let entry = this.traces.get(traceId);
    // The clock is read only for a trace worth remembering, not for the common untagged request of a new trace.
    if (!entry && (carried === undefined || !this.lanes.has(carried))) return;
    const now = at ?? Date.now();
    if (entry && now - entry.seenAt > this.settings.ttlMs) {
      this.traces.delete(traceId);
      entry = undefined;
    }
    if (!entry) {
      if (carried !== undefined && this.lanes.has(carried))
        this.traces.set(traceId, { lane: carried, service, leaked: false, seenAt: now });
      return;
    }
    entry.seenAt = now;
    if (carried === entry.lane) {
      entry.service = service;
      return;
    }
    if (entry.leaked) return;
    entry.leaked = true;
    this.count(entry.service, service, entry.lane);
    this.log(now, traceId, entry, service, carried);
  }

  snapshot(): LeakCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }

  private count(from: string, to: string, lane: string): void {
    const key = `${from}\u0000${to}\u0000${lane}`;
    const existing = this.counts.get(key);
    if (existing) existing.count += 1;
    else this.counts.set(key, { from, to, lane, count: 1 });
  }

  private log(now: number, traceId: string, entry: TraceEntry, to: string, carried: string | undefined): void {
    if (!this.emit) return;
    if (now - this.logWindowStart >= 1000) {
      this.logWindowStart = now;
      this.loggedInWindow = 0;
    }
    if (this.loggedInWindow >= LOG_LINES_PER_SECOND) {
      this.suppressed += 1;
      return;
    }
    this.loggedInWindow += 1;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.emit({
      event: 'lane-leak',
      time: new Date(now).toISOString(),
      traceId,
      from: entry.service,
      to,
      lane: entry.lane,
      carried,
      suppressed,
    });
  }
}

/** Adds up the leak counts of several processes. */
export function mergeLeakCounts(parts: readonly LeakCount[][]): LeakCount[] {
  const merged = new Map<string, LeakCount>();
  for (const part of parts) {
    for (const c of part) {
      const key = `${c.from}\u0000${c.to}\u0000${c.lane}`;
      const into = merged.get(key);
      if (into) into.count += c.count;
      else merged.set(key, { ...c });
    }
  }
  return [...merged.values()];
}
