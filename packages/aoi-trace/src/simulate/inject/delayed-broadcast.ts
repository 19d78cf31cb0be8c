import { mulberry32 } from '../mulberry32.js';
import type { EventInjector, InjectContext, InjectionLog, PendingEvent } from './types.js';

interface Stall {
  until: number;
  queue: PendingEvent[];
}

/**
 * The seed's stalled entity (GC pause, blocked coroutine): a watcher's events are held back for `ticks` ticks and
 * then delivered together, in their original order, so its view ends up right, only late.
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
    return out;
  }
}
