import { mulberry32 } from '../mulberry32.js';
import type { EventInjector, InjectContext, InjectionLog, PendingEvent } from './types.js';

/**
 * The seed's race on the adjacency table: for some movers, the tick's visibility is computed from their previous
 * position while the table itself was updated by another thread, so transitions that only the new position causes
 * are lost for good (both directions of the pair) and no later tick re-sends them. With height the previous
 * position includes z, and a unit that only climbed or descended can race too.
 */
export class RaceInjector implements EventInjector {
  private readonly rnd: () => number;
  /** Pairs that lost an event once: a second loss on a pair already wrong would change nothing. */
  private readonly lost = new Set<string>();
  /** Both directions of a pair are lost together in the tick it races. */
  private readonly thisTick = new Set<string>();

  constructor(
    private readonly rate: number,
    seed: number,
    private readonly log: InjectionLog,
  ) {
    this.rnd = mulberry32(seed ^ 0x2ace);
  }

  process(events: PendingEvent[], { geometry, despawned }: InjectContext): PendingEvent[] {
    const raced = new Set<number>();
    for (const id of geometry.movedOnly) if (this.rnd() < this.rate) raced.add(id);
    if (raced.size === 0) return events;
    this.thisTick.clear();
    return events.filter((event) => {
      const { kind, watcher, target } = event;
      if (kind > 1 || despawned.has(watcher) || despawned.has(target)) return true;
      const staleW = raced.has(watcher);
      const staleT = raced.has(target);
      if (!staleW && !staleT) return true;
      const d2 = geometry.distance2(watcher, target, staleW, staleT);
      const dz = geometry.verticalGap(watcher, target, staleW, staleT);
      const radii = geometry.radii2(watcher);
      if (d2 === undefined || dz === undefined || radii === undefined) return true;
      // The engine's cylinder (a 2D trace has dz 0 and unbounded half-heights: the circle alone).
      const staleSaysSo =
        kind === 0 ? d2 <= radii.view2 && dz <= radii.viewHeight : d2 > radii.leave2 || dz > radii.leaveHeight;
      const pair = watcher < target ? `${watcher}:${target}` : `${target}:${watcher}`;
      if (staleSaysSo || (this.lost.has(pair) && !this.thisTick.has(pair))) return true;
      this.lost.add(pair);
      this.thisTick.add(pair);
      this.log.add('race', event);
      return false;
    });
  }
}
