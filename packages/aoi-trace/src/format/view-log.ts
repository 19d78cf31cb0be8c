// The view changes of the ticks since the last chunk, as flat columns, for whoever keeps the view sets for keyframes
// (the writer's own thread or its background worker, see chunk-packer.ts). Recording a tick's events is three
// memcpys, not ~7,000 sorted-list inserts: applying them is the packer's job.

import type { EventColumns } from '../model/types.js';
import type { ViewTable } from './view-table.js';

/** Log entry kind meaning "the watcher in this row was despawned" (event kinds are 0 to 2). */
export const DESPAWN_ROW = 3;

/** One chunk's worth of view changes; `kinds[i]`, `watchers[i]`, `targets[i]` for i < count. */
export interface ViewChanges {
  count: number;
  kinds: Uint8Array;
  watchers: Int32Array;
  targets: Int32Array;
}

export class ViewLog {
  private kinds = new Uint8Array(1 << 12);
  private watchers = new Int32Array(1 << 12);
  private targets = new Int32Array(1 << 12);
  length = 0;

  /** Appends a tick's events. */
  events(events: EventColumns): void {
    const { count, kinds, watchers, targets } = events;
    this.reserve(count);
    this.kinds.set(kinds.subarray(0, count), this.length);
    this.watchers.set(watchers.subarray(0, count), this.length);
    this.targets.set(targets.subarray(0, count), this.length);
    this.length += count;
  }

  despawn(id: number): void {
    this.reserve(1);
    this.kinds[this.length] = DESPAWN_ROW;
    this.watchers[this.length] = id;
    this.targets[this.length] = 0;
    this.length++;
  }

  /** Drops entries from `length` on (a tick that failed half-way). */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** The entries logged since the last take, as fresh arrays (transferable), and an empty log. */
  take(): ViewChanges {
    const n = this.length;
    const changes = {
      count: n,
      kinds: this.kinds.slice(0, n),
      watchers: this.watchers.slice(0, n),
      targets: this.targets.slice(0, n),
    };
    this.length = 0;
    return changes;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.kinds.length) return;
    let size = this.kinds.length * 2;
    while (size < needed) size *= 2;
    const grow = <T extends Uint8Array | Int32Array>(old: T, next: T): T => {
      next.set(old.subarray(0, this.length));
      return next;
    };
    this.kinds = grow(this.kinds, new Uint8Array(size));
    this.watchers = grow(this.watchers, new Int32Array(size));
    this.targets = grow(this.targets, new Int32Array(size));
  }
}

/** Applies logged changes to view sets, in order (same rules as WorldState.apply). */
export function applyViewChanges(views: ViewTable, changes: ViewChanges): void {
  const { count, kinds, watchers, targets } = changes;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if (kind === 0) views.add(watchers[i]!, targets[i]!);
    else if (kind === 1) views.delete(watchers[i]!, targets[i]!);
    else if (kind === DESPAWN_ROW) views.deleteWatcher(watchers[i]!);
  }
}
