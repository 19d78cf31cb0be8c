import type { TickRecord } from '../../model/types.js';

interface Body {
  x: number;
  y: number;
  /** Position at the end of the previous tick. */
  px: number;
  py: number;
  view2: number;
  leave2: number;
}

/** Positions (current and previous tick) and squared radii of live entities, as the recorded ticks say. */
export class Geometry {
  private readonly bodies = new Map<number, Body>();
  /** Ids that moved this tick, existed before it and kept their radii: the candidates for stale positions. */
  readonly movedOnly: number[] = [];

  apply(record: TickRecord): void {
    for (const body of this.bodies.values()) {
      body.px = body.x;
      body.py = body.y;
    }
    const fresh = new Set<number>();
    for (const s of record.spawns) {
      fresh.add(s.id);
      this.bodies.set(s.id, {
        x: s.x,
        y: s.y,
        px: s.x,
        py: s.y,
        view2: s.viewRadius * s.viewRadius,
        leave2: s.leaveRadius * s.leaveRadius,
      });
    }
    for (const u of record.updates) {
      fresh.add(u.id);
      const body = this.bodies.get(u.id);
      if (body === undefined) continue;
      if (u.viewRadius !== undefined) body.view2 = u.viewRadius * u.viewRadius;
      if (u.leaveRadius !== undefined) body.leave2 = u.leaveRadius * u.leaveRadius;
    }
    this.movedOnly.length = 0;
    const { moves } = record;
    for (let i = 0; i < moves.count; i++) {
      const body = this.bodies.get(moves.ids[i]!);
      if (body === undefined) continue;
      body.x = moves.xs[i]!;
      body.y = moves.ys[i]!;
      if (!fresh.has(moves.ids[i]!)) this.movedOnly.push(moves.ids[i]!);
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

  radii2(id: number): { view2: number; leave2: number } | undefined {
    return this.bodies.get(id);
  }
}
