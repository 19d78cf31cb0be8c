import { isVerticalMove } from '../../detect/cylinder.js';
import type { TickRecord } from '../../model/types.js';

interface Body {
  x: number;
  y: number;
  z: number;
  /** Position at the end of the previous tick. */
  px: number;
  py: number;
  pz: number;
  view2: number;
  leave2: number;
  /** Vertical half-heights (Infinity: no limit, a 2D entity). */
  viewHeight: number;
  leaveHeight: number;
}

/**
 * Positions (current and previous tick), squared radii and half-heights of live entities, as the recorded ticks say.
 * A 2D trace gives every entity z 0 and unbounded half-heights, so the vertical tests below always pass for it.
 */
export class Geometry {
  private readonly bodies = new Map<number, Body>();
  /**
   * Ids that moved this tick (horizontally, or vertically only), existed before it and kept their radii: the
   * candidates for stale positions. Horizontal movers first, in the moves' order, then vertical-only movers.
   */
  readonly movedOnly: number[] = [];

  apply(record: TickRecord): void {
    for (const body of this.bodies.values()) {
      body.px = body.x;
      body.py = body.y;
      body.pz = body.z;
    }
    const fresh = new Set<number>();
    for (const s of record.spawns) {
      fresh.add(s.id);
      const z = s.z ?? 0;
      const viewHeight = s.viewHeight ?? Number.POSITIVE_INFINITY;
      this.bodies.set(s.id, {
        x: s.x,
        y: s.y,
        z,
        px: s.x,
        py: s.y,
        pz: z,
        view2: s.viewRadius * s.viewRadius,
        leave2: s.leaveRadius * s.leaveRadius,
        viewHeight,
        leaveHeight: s.leaveHeight ?? viewHeight,
      });
    }
    const climbers: number[] = [];
    for (const u of record.updates) {
      const body = this.bodies.get(u.id);
      if (body !== undefined && u.z !== undefined) body.z = u.z;
      if (isVerticalMove(u)) {
        climbers.push(u.id);
        continue;
      }
      fresh.add(u.id);
      if (body === undefined) continue;
      if (u.viewRadius !== undefined) body.view2 = u.viewRadius * u.viewRadius;
      if (u.leaveRadius !== undefined) body.leave2 = u.leaveRadius * u.leaveRadius;
      if (u.viewHeight !== undefined) body.viewHeight = u.viewHeight;
      if (u.leaveHeight !== undefined) body.leaveHeight = u.leaveHeight;
    }
    this.movedOnly.length = 0;
    const { moves } = record;
    const moved = new Set<number>();
    for (let i = 0; i < moves.count; i++) {
      const body = this.bodies.get(moves.ids[i]!);
      if (body === undefined) continue;
      body.x = moves.xs[i]!;
      body.y = moves.ys[i]!;
      moved.add(moves.ids[i]!);
      if (!fresh.has(moves.ids[i]!)) this.movedOnly.push(moves.ids[i]!);
    }
    for (const id of climbers) {
      if (!fresh.has(id) && !moved.has(id) && this.bodies.has(id)) this.movedOnly.push(id);
    }
    for (const id of record.despawns) this.bodies.delete(id);
  }

  /** Squared distance with `staleA` / `staleB` choosing the previous tick's position; undefined if either is gone. */
  distance2(a: number, b: number, staleA: boolean, staleB: boolean): number | undefined {
    const p = this.bodies.get(a);
    const q = this.bodies.get(b);
    if (p === undefined || q === undefined) return undefined;
    const dx = (staleA ? p.px : p.x) - (staleB ? q.px : q.x);
    const dy = (staleA ? p.py : p.y) - (staleB ? q.py : q.y);
    return dx * dx + dy * dy;
  }

  /** |dz| with the same choice of positions (0 in a 2D trace); undefined if either is gone. */
  verticalGap(a: number, b: number, staleA: boolean, staleB: boolean): number | undefined {
    const p = this.bodies.get(a);
    const q = this.bodies.get(b);
    if (p === undefined || q === undefined) return undefined;
    return Math.abs((staleA ? p.pz : p.z) - (staleB ? q.pz : q.z));
  }

  radii2(id: number): { view2: number; leave2: number; viewHeight: number; leaveHeight: number } | undefined {
    return this.bodies.get(id);
  }
}
