import { mulberry32 } from '../mulberry32.js';
import type { EventInjector, InjectContext, InjectionLog, PendingEvent } from './types.js';

/**
 * The seed's FOV tear: the two sides of a symmetric transition are updated separately and one update is lost, so
 * one side sees the other but not the other way round; or the leave of a despawned target never reaches a watcher.
 */
export class TornViewInjector implements EventInjector {
  private readonly rnd: () => number;
  /** Unordered pairs torn once: a second fault on a pair already wrong would change nothing or undo the first. */
  private readonly torn = new Set<string>();

  constructor(
    private readonly rate: number,
    seed: number,
    private readonly log: InjectionLog,
  ) {
    this.rnd = mulberry32(seed ^ 0x7043);
  }

  process(events: PendingEvent[], { despawned }: InjectContext): PendingEvent[] {
    const index = new Map<string, number>();
    events.forEach((e, i) => {
      if (e.kind <= 1) index.set(`${e.kind}:${e.watcher}:${e.target}`, i);
    });
    const dropped = new Set<number>();
    events.forEach((e, i) => {
      if (e.kind > 1 || despawned.has(e.watcher)) return;
      const pair = e.watcher < e.target ? `${e.watcher}:${e.target}` : `${e.target}:${e.watcher}`;
      if (this.torn.has(pair)) return;
      if (despawned.has(e.target)) {
        if (e.kind === 1 && this.rnd() < this.rate) {
          this.torn.add(pair);
          dropped.add(i);
          this.log.add('missing-leave', e);
        }
        return;
      }
      if (e.watcher > e.target) return;
      const mirror = index.get(`${e.kind}:${e.target}:${e.watcher}`);
      if (mirror === undefined || this.rnd() >= this.rate) return;
      this.torn.add(pair);
      const side = this.rnd() < 0.5 ? i : mirror;
      dropped.add(side);
      this.log.add('torn-view', events[side]!);
    });
    return dropped.size === 0 ? events : events.filter((_, i) => !dropped.has(i));
  }
}
