import { mulberry32 } from '../mulberry32.js';
import { type EventInjector, type InjectContext, type InjectionLog, type PendingEvent, pairKey } from './types.js';

interface Stuck {
  watcher: number;
  target: number;
}

/**
 * A 3D bug: a server whose leave test forgets the vertical extent (it checks the horizontal leave radius only, as a
 * 2D engine would). A target that flies up or down out of the watcher's leave half-height while staying within the
 * leave radius horizontally is never told to leave: the exit the engine made is dropped, and the target stays in the
 * recorded view until the flat test itself says leave (the horizontal distance passes the leave radius; the exit is
 * sent then) or one of the two despawns (the despawn path clears views right). An enter the engine makes while the
 * pair is stuck is dropped too: the buggy view already has the target. On a 2D trace nothing happens, since every
 * exit there is horizontal.
 */
export class FlatLeaveInjector implements EventInjector {
  private readonly rnd: () => number;
  private readonly stuck = new Map<string, Stuck>();

  constructor(
    private readonly rate: number,
    seed: number,
    private readonly log: InjectionLog,
  ) {
    this.rnd = mulberry32(seed ^ 0xf1a7);
  }

  process(events: PendingEvent[], { tick, despawned, geometry }: InjectContext): PendingEvent[] {
    const out: PendingEvent[] = [];
    const gone = (e: { watcher: number; target: number }) => despawned.has(e.watcher) || despawned.has(e.target);
    for (const event of events) {
      const { kind, watcher, target } = event;
      if (kind > 1) {
        out.push(event);
        continue;
      }
      const key = pairKey(watcher, target);
      if (this.stuck.has(key)) {
        this.stuck.delete(key);
        // The engine re-enters the pair the buggy view never let go of: nothing to send.
        if (kind === 0) continue;
      } else if (kind === 1 && !gone(event) && this.onlyVertical(event, geometry) && this.rnd() < this.rate) {
        this.stuck.set(key, { watcher, target });
        this.log.add('flat-leave', event);
        continue;
      }
      out.push(event);
    }
    for (const [key, s] of this.stuck) {
      const d2 = geometry.distance2(s.watcher, s.target, false, false);
      const radii = geometry.radii2(s.watcher);
      if (!gone(s) && d2 !== undefined && radii !== undefined && d2 <= radii.leave2) continue;
      this.stuck.delete(key);
      out.push({ kind: 1, watcher: s.watcher, target: s.target, tick });
    }
    return out;
  }

  /** Whether the exit is due to |dz| alone: beyond the leave half-height, within the leave radius. */
  private onlyVertical(event: PendingEvent, geometry: InjectContext['geometry']): boolean {
    const d2 = geometry.distance2(event.watcher, event.target, false, false);
    const dz = geometry.verticalGap(event.watcher, event.target, false, false);
    const radii = geometry.radii2(event.watcher);
    if (d2 === undefined || dz === undefined || radii === undefined) return false;
    return dz > radii.leaveHeight && d2 <= radii.leave2;
  }
}
