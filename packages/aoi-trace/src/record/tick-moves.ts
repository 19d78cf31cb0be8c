// The moves of the tick a TraceRecorder has open (recorder.ts): one row per id, as the record carries them. A later
// move of an id overwrites its row (a teleport sticks), found through an index stamped per tick, so the engine's
// move callback costs no hashing for ids below DIRECT_IDS. Apart from the recorder, which routes the world's other
// changes; this is the one it keeps for every move.

import { emptyMoves, pushMove } from '../model/columns.js';
import type { MoveColumns } from '../model/types.js';

/** Ids below this are deduplicated through a typed array; larger ones through a Map. */
const DIRECT_IDS = 1 << 20;

export class TickMoves {
  readonly columns: MoveColumns = emptyMoves(1024);
  /** Moves of this tick dropped since (their id set to -1, which no engine id is); compacted when the tick ends. */
  private dead = 0;
  /** Index of an id's move in this tick's columns, valid when its stamp equals `stamp`. */
  private index = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private readonly farIndex = new Map<number, number>();
  private stamp = 1;

  /** A move of `id` to (x, y): a row of its own, or its earlier row of this tick updated. */
  set(id: number, x: number, y: number, teleport: boolean, cause: number): void {
    const moves = this.columns;
    if (id < DIRECT_IDS) {
      if (id >= this.stamps.length) this.growDirect(id);
      if (this.stamps[id] === this.stamp) {
        const i = this.index[id]!;
        moves.xs[i] = x;
        moves.ys[i] = y;
        if (teleport) moves.teleports[i] = 1;
        return;
      }
      this.stamps[id] = this.stamp;
      this.index[id] = moves.count;
    } else {
      const i = this.farIndex.get(id);
      if (i !== undefined) {
        moves.xs[i] = x;
        moves.ys[i] = y;
        if (teleport) moves.teleports[i] = 1;
        return;
      }
      this.farIndex.set(id, moves.count);
    }
    pushMove(moves, id, x, y, teleport, cause);
  }

  /** Drops this tick's move of `id`, if any (a removed entity's, so it does not apply to the id's new entity). */
  drop(id: number): void {
    let i: number | undefined;
    if (id < DIRECT_IDS) {
      if (id < this.stamps.length && this.stamps[id] === this.stamp) {
        i = this.index[id];
        this.stamps[id] = 0;
      }
    } else {
      i = this.farIndex.get(id);
      this.farIndex.delete(id);
    }
    if (i === undefined) return;
    this.columns.ids[i] = -1;
    this.dead++;
  }

  /** Takes the dropped moves out of the columns (before they are handed over). */
  compact(): void {
    if (this.dead === 0) return;
    const { ids, xs, ys, teleports, causes } = this.columns;
    let kept = 0;
    for (let i = 0; i < this.columns.count; i++) {
      if (ids[i] === -1) continue;
      ids[kept] = ids[i]!;
      xs[kept] = xs[i]!;
      ys[kept] = ys[i]!;
      teleports[kept] = teleports[i]!;
      causes[kept] = causes[i]!;
      kept++;
    }
    this.columns.count = kept;
    this.dead = 0;
  }

  /** Empties the columns for the next tick. */
  clear(): void {
    this.columns.count = 0;
    this.stamp++;
    this.farIndex.clear();
  }

  private growDirect(id: number): void {
    let size = this.stamps.length;
    while (size <= id) size *= 2;
    const stamp = new Uint32Array(size);
    stamp.set(this.stamps);
    const index = new Int32Array(size);
    index.set(this.index);
    this.stamps = stamp;
    this.index = index;
  }
}
