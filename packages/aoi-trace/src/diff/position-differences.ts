// Tracks entities whose positions differ between two traces by more than a tolerance (or that exist in only one).

import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import type { Point } from '../query/tick-geometry.js';

export interface PositionDifference {
  readonly entity: number;
  readonly fromTick: number;
  /** First tick after which they agree again; null while they still differ. */
  resolvedAt: number | null;
  /** Where each trace had it when the difference began; null where it did not exist. */
  readonly a: Point | null;
  readonly b: Point | null;
  /** Largest distance seen while it lasted; null when it never existed in both traces at once. */
  maxDistance: number | null;
}

export class PositionDifferences {
  private readonly open = new Map<number, PositionDifference>();
  total = 0;
  readonly listed: PositionDifference[] = [];

  constructor(
    private readonly limit: number,
    private readonly tolerance: number,
  ) {}

  get openCount(): number {
    return this.open.size;
  }

  /** After applying the tick: rechecks the entities it changed in either trace and those that already differ. */
  update(a: WorldState, b: WorldState, ra: TickRecord | null, rb: TickRecord | null, tick: number): void {
    for (const id of [...this.open.keys()]) this.check(a, b, id, tick);
    for (const record of [ra, rb]) {
      if (record === null) continue;
      for (const spawn of record.spawns) this.check(a, b, spawn.id, tick);
      const moves = record.moves;
      for (let i = 0; i < moves.count; i++) this.check(a, b, moves.ids[i]!, tick);
      for (const id of record.despawns) this.check(a, b, id, tick);
    }
  }

  private check(a: WorldState, b: WorldState, id: number, tick: number): void {
    const ea = a.entities.get(id);
    const eb = b.entities.get(id);
    const distance = ea && eb ? Math.hypot(ea.x - eb.x, ea.y - eb.y) : null;
    const differs = ea === undefined ? eb !== undefined : eb === undefined || distance! > this.tolerance;
    const current = this.open.get(id);
    if (!differs) {
      if (current !== undefined) {
        current.resolvedAt = tick;
        this.open.delete(id);
      }
      return;
    }
    if (current !== undefined) {
      if (distance !== null && (current.maxDistance === null || distance > current.maxDistance)) {
        current.maxDistance = distance;
      }
      return;
    }
    const difference: PositionDifference = {
      entity: id,
      fromTick: tick,
      resolvedAt: null,
      a: ea ? { x: ea.x, y: ea.y } : null,
      b: eb ? { x: eb.x, y: eb.y } : null,
      maxDistance: distance,
    };
    this.open.set(id, difference);
    this.total++;
    if (this.listed.length < this.limit) this.listed.push(difference);
  }
}
