import { mulberry32 } from '../mulberry32.js';
import type { EventInjector, InjectContext, InjectionLog, PendingEvent } from './types.js';

interface Stall {
  until: number;
  queue: PendingEvent[];
}

/**
 * The seed's stalled entity (GC pause, blocked coroutine): a watcher's events are held back for `ticks` ticks and
 * then delivered together, in their original order, so its view ends up right, only late.
 *
 * No held event outlives the entities it names: a trace cannot mention an id after its despawn. A stall ends early
 * in the tick its watcher despawns, and the held events about a target are delivered in the tick that target
 * despawns (the last tick its id exists), together with that tick's own leave. Dropping them instead would leave
 * the target in the watcher's view for good: a missing leave that the injection log would not account for.
 */
export class DelayedBroadcastInjector implements EventInjector {
  private readonly rnd: () => number;
  private readonly stalls = new Map<number, Stall>();

  constructor(
    private readonly rate: number,
    private readonly ticks: number,
    seed: number,
    private readonly log: InjectionLog,
  ) {
    this.rnd = mulberry32(seed ^ 0xde1a);
  }

  process(events: PendingEvent[], { tick, last, despawned }: InjectContext): PendingEvent[] {
    const out: PendingEvent[] = [];
    for (const [watcher, stall] of this.stalls) {
      if (stall.until > tick && !last && !despawned.has(watcher)) continue;
      this.stalls.delete(watcher);
      for (const event of stall.queue) {
        out.push(event);
        this.log.add('delayed-broadcast', event, { deliveredTick: tick });
      }
    }
    const decided = new Set<number>();
    for (const event of events) {
      let stall = this.stalls.get(event.watcher);
      if (stall === undefined && !decided.has(event.watcher)) {
        decided.add(event.watcher);
        if (!last && !despawned.has(event.watcher) && this.rnd() < this.rate) {
          stall = { until: tick + this.ticks, queue: [] };
          this.stalls.set(event.watcher, stall);
        }
      }
      if (stall === undefined) out.push(event);
      else stall.queue.push(event);
    }
    if (despawned.size > 0) this.releaseAbout(despawned, tick, out);
    return out;
  }

  /** Delivers the held events whose target is in `gone`, keeping each pair's order; the rest stay held. */
  private releaseAbout(gone: ReadonlySet<number>, tick: number, out: PendingEvent[]): void {
    for (const stall of this.stalls.values()) {
      if (!stall.queue.some((event) => gone.has(event.target))) continue;
      const kept: PendingEvent[] = [];
      for (const event of stall.queue) {
        if (!gone.has(event.target)) {
          kept.push(event);
          continue;
        }
        out.push(event);
        // This tick's own events about the target are on time: not an injection.
        if (event.tick < tick) this.log.add('delayed-broadcast', event, { deliveredTick: tick });
      }
      stall.queue = kept;
    }
  }
}
