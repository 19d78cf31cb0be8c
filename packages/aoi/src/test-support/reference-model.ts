/** An independent, obviously-correct model of the AOI rules for tests: Maps and Sets, every pair every time. */
export interface ModelEntity {
  x: number;
  y: number;
  view: number;
  leave: number;
  watcher: boolean;
  marker: boolean;
  tags: number;
  interest: number;
  /** Height: z (default 0) and the vertical half-heights of the view and leave cylinders (default unbounded). */
  z?: number;
  viewH?: number;
  leaveH?: number;
}

export type ModelEvent = readonly ['enter' | 'leave' | 'move', number, number];

export class ReferenceModel {
  readonly entities = new Map<number, ModelEntity>();
  readonly views = new Map<number, Set<number>>();
  private readonly moved = new Set<number>();
  private readonly removedLeaves: ModelEvent[] = [];

  constructor(private readonly moveEvents = false) {}

  add(id: number, e: ModelEntity): void {
    this.entities.set(id, { ...e });
    this.views.set(id, new Set());
  }

  move(id: number, x: number, y: number, z?: number): void {
    const e = this.entities.get(id)!;
    if (e.x === x && e.y === y && (z === undefined || z === (e.z ?? 0))) return;
    e.x = x;
    e.y = y;
    if (z !== undefined) e.z = z;
    this.moved.add(id);
  }

  set(id: number, patch: Partial<ModelEntity>): void {
    Object.assign(this.entities.get(id)!, patch);
  }

  remove(id: number): void {
    for (const t of this.views.get(id)!) this.removedLeaves.push(['leave', id, t]);
    for (const [w, seen] of this.views) {
      if (seen.delete(id)) this.removedLeaves.push(['leave', w, id]);
    }
    this.entities.delete(id);
    this.views.delete(id);
    this.moved.delete(id);
  }

  /** Applies the rule to every ordered pair; returns the events (removal leaves first, in call order). */
  update(): ModelEvent[] {
    const events: ModelEvent[] = this.removedLeaves.splice(0);
    for (const [wid, w] of this.entities) {
      const seen = this.views.get(wid)!;
      for (const [tid, t] of this.entities) {
        if (wid === tid) continue;
        const dx = w.x - t.x;
        const dy = w.y - t.y;
        const d2 = dx * dx + dy * dy;
        const allowed = w.watcher && t.marker && (w.interest & t.tags) !== 0;
        const was = seen.has(tid);
        const dz = Math.abs((w.z ?? 0) - (t.z ?? 0));
        const inLeave = d2 <= w.leave * w.leave && dz <= (w.leaveH ?? w.viewH ?? Number.POSITIVE_INFINITY);
        const inView = d2 <= w.view * w.view && dz <= (w.viewH ?? Number.POSITIVE_INFINITY);
        const now = allowed && (was ? inLeave : inView);
        if (was && !now) {
          seen.delete(tid);
          events.push(['leave', wid, tid]);
        } else if (!was && now) {
          seen.add(tid);
          events.push(['enter', wid, tid]);
        } else if (was && this.moveEvents && this.moved.has(tid)) events.push(['move', wid, tid]);
      }
    }
    this.moved.clear();
    return events;
  }

  viewOf(id: number): number[] {
    return [...this.views.get(id)!].sort((a, b) => a - b);
  }
}

/** Order-independent comparison form of a list of events. */
export const sortedEvents = (events: readonly ModelEvent[]): string[] => events.map((e) => e.join(' ')).sort();
