import type { AoiListener } from '../types.js';
import type { ModelEvent } from './reference-model.js';

/**
 * A listener that records events and keeps each watcher's view from the events alone, failing loudly on a
 * duplicate enter, a leave without enter, or a move outside the view (what goworld's test panics on).
 */
export class EventLog implements AoiListener {
  events: ModelEvent[] = [];
  readonly views = new Map<number, Set<number>>();
  readonly errors: string[] = [];

  private view(w: number): Set<number> {
    let set = this.views.get(w);
    if (set === undefined) {
      set = new Set();
      this.views.set(w, set);
    }
    return set;
  }

  enter(w: number, t: number): void {
    this.events.push(['enter', w, t]);
    if (this.view(w).has(t)) this.errors.push(`duplicate enter ${w} -> ${t}`);
    this.view(w).add(t);
  }

  leave(w: number, t: number): void {
    this.events.push(['leave', w, t]);
    if (!this.view(w).delete(t)) this.errors.push(`leave without enter ${w} -> ${t}`);
  }

  move(w: number, t: number): void {
    this.events.push(['move', w, t]);
    if (!this.view(w).has(t)) this.errors.push(`move outside view ${w} -> ${t}`);
  }

  take(): ModelEvent[] {
    return this.events.splice(0);
  }

  viewOf(w: number): number[] {
    return [...(this.views.get(w) ?? [])].sort((a, b) => a - b);
  }
}
