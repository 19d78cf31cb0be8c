import { mulberry32 } from '../mulberry32.js';
import { type EventInjector, type InjectContext, type InjectionLog, type PendingEvent, pairKey } from './types.js';

interface Flap {
  watcher: number;
  target: number;
  /** Spurious transitions still to emit. */
  remaining: number;
  /** Whether the recorded view has the target now. */
  inView: boolean;
}

/**
 * Enter/exit flapping: after a pair enters, a server without working hysteresis flips it out and in again on the
 * following ticks (`flips` spurious transitions, one per tick, ending in view). A real transition of the pair
 * stops the flapping.
 */
export class OscillationInjector implements EventInjector {
  private readonly rnd: () => number;
  private readonly flaps = new Map<string, Flap>();

  constructor(
    private readonly rate: number,
    private readonly flips: number,
    private readonly lastTick: number,
    seed: number,
    private readonly log: InjectionLog,
  ) {
    this.rnd = mulberry32(seed ^ 0x05c1);
  }

  process(events: PendingEvent[], { tick, despawned }: InjectContext): PendingEvent[] {
    const out: PendingEvent[] = [];
    for (const event of events) {
      const key = pairKey(event.watcher, event.target);
      const flap = event.kind <= 1 ? this.flaps.get(key) : undefined;
      if (flap !== undefined) {
        this.flaps.delete(key);
        // The engine's own transition: drop it if the flapping already put the view there.
        if ((event.kind === 0) === flap.inView) continue;
      }
      out.push(event);
    }
    for (const [key, flap] of this.flaps) {
      if (despawned.has(flap.watcher) || despawned.has(flap.target)) {
        this.flaps.delete(key);
        continue;
      }
      flap.inView = !flap.inView;
      const spurious = { kind: flap.inView ? 0 : 1, watcher: flap.watcher, target: flap.target, tick };
      out.push(spurious);
      this.log.add('oscillation', spurious);
      if (--flap.remaining === 0) this.flaps.delete(key);
    }
    if (tick + this.flips > this.lastTick) return out;
    for (const event of events) {
      if (event.kind !== 0 || despawned.has(event.watcher) || despawned.has(event.target)) continue;
      const key = pairKey(event.watcher, event.target);
      if (this.flaps.has(key) || this.rnd() >= this.rate) continue;
      this.flaps.set(key, { watcher: event.watcher, target: event.target, remaining: this.flips, inView: true });
    }
    return out;
  }
}
