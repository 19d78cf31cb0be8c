import type { WorldState } from '../model/world-state.js';
import type { HeightColumns } from './cylinder.js';

/** Ids below this are found by direct index (an Int32Array of at most 16 MB), larger ones through the Map. */
const DIRECT_IDS = 1 << 22;

/**
 * The live entities of one tick in flat arrays, and every (watcher, marker) pair within the watcher's leave radius
 * plus `slack` (leave >= view, so this covers both hysteresis decisions), found through a uniform grid and grouped
 * by watcher: what the detectors need from the recorded geometry.
 */
export class TickGeometry {
  count = 0;
  ids = new Int32Array(0);
  xs = new Float64Array(0);
  ys = new Float64Array(0);
  views = new Float64Array(0);
  leaves = new Float64Array(0);
  watcher = new Uint8Array(0);
  marker = new Uint8Array(0);
  /** id -> slot in the arrays above. */
  readonly slotOf = new Map<number, number>();
  /** slot + 1 by id (0: none) for ids below its length: {@link slotIndex} without a hash lookup. */
  private direct: Int32Array<ArrayBuffer> = new Int32Array(0);
  /** Pairs as slots into the arrays above, with squared distances; valid after {@link findPairs}. */
  pairCount = 0;
  /** Pairs of watcher slot w are pairStart[w] .. pairStart[w + 1] - 1. */
  pairStart = new Int32Array(1);
  pairWatchers = new Int32Array(0);
  pairTargets = new Int32Array(0);
  pairD2 = new Float64Array(0);
  private pairsFound = false;
  /** z and half-heights per slot, once the trace has height (set by DetectionStream; pairs stay horizontal). */
  height: HeightColumns | undefined;

  /** Pairs are found within the watcher's leave radius plus this. */
  constructor(public slack: number) {}

  load(state: WorldState): void {
    // Forget the previous tick's ids (not the whole index: ids may reach DIRECT_IDS).
    for (let k = 0; k < this.count; k++) {
      const id = this.ids[k]!;
      if (id >= 0 && id < this.direct.length) this.direct[id] = 0;
    }
    const n = state.entities.size;
    if (this.ids.length < n) {
      const size = Math.max(16, n * 2);
      this.ids = new Int32Array(size);
      this.xs = new Float64Array(size);
      this.ys = new Float64Array(size);
      this.views = new Float64Array(size);
      this.leaves = new Float64Array(size);
      this.watcher = new Uint8Array(size);
      this.marker = new Uint8Array(size);
    }
    let i = 0;
    this.slotOf.clear();
    for (const e of state.entities.values()) {
      this.slotOf.set(e.id, i);
      if (e.id >= 0 && e.id < DIRECT_IDS) {
        if (e.id >= this.direct.length) this.direct = grownTo(this.direct, e.id + 1);
        this.direct[e.id] = i + 1;
      }
      this.leaves[i] = e.leaveRadius;
      this.ids[i] = e.id;
      this.xs[i] = e.x;
      this.ys[i] = e.y;
      this.views[i] = e.viewRadius;
      this.watcher[i] = e.watcher ? 1 : 0;
      this.marker[i] = e.marker ? 1 : 0;
      i++;
    }
    this.count = n;
    this.pairsFound = false;
    this.height?.load(state, this.ids.length);
  }

  /** The slot of entity `id`, or -1 (not live when loaded). */
  slotIndex(id: number): number {
    if (id >= 0 && id < DIRECT_IDS) return id < this.direct.length ? this.direct[id]! - 1 : -1;
    return this.slotOf.get(id) ?? -1;
  }

  /** Fills the pair arrays (once per loaded tick). */
  findPairs(): void {
    if (this.pairsFound) return;
    this.pairsFound = true;
    this.pairCount = 0;
    const { count: n, xs, ys, leaves, watcher, marker, slack } = this;
    if (this.pairStart.length < n + 1) this.pairStart = new Int32Array(n * 2 + 1);
    this.pairStart.fill(0, 0, n + 1);
    let reach = 0;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    let markers = 0;
    for (let i = 0; i < n; i++) {
      if (watcher[i]) reach = Math.max(reach, leaves[i]! + slack);
      if (marker[i]) markers++;
      minX = Math.min(minX, xs[i]!);
      minY = Math.min(minY, ys[i]!);
      maxX = Math.max(maxX, xs[i]!);
      maxY = Math.max(maxY, ys[i]!);
    }
    if (markers === 0 || n === 0) return;
    // Cells at least as wide as the longest reach, so a 3x3 block covers it; wider when the world is sparse.
    let cell = Math.max(reach, 1e-9, Math.sqrt(((maxX - minX) * (maxY - minY)) / (4 * n)));
    let cols = Math.floor((maxX - minX) / cell) + 1;
    let rows = Math.floor((maxY - minY) / cell) + 1;
    if (cols * rows > 4 * n + 16) {
      cell = Math.max((maxX - minX) / Math.sqrt(4 * n), (maxY - minY) / Math.sqrt(4 * n), cell);
      cols = Math.floor((maxX - minX) / cell) + 1;
      rows = Math.floor((maxY - minY) / cell) + 1;
    }
    const cellOf = (i: number) =>
      Math.min(rows - 1, Math.floor((ys[i]! - minY) / cell)) * cols +
      Math.min(cols - 1, Math.floor((xs[i]! - minX) / cell));
    const start = new Int32Array(cols * rows + 1);
    const cells = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cells[i] = cellOf(i);
      if (marker[i]) start[cells[i]! + 1]!++;
    }
    for (let c = 0; c < cols * rows; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, cols * rows);
    const items = new Int32Array(markers);
    for (let i = 0; i < n; i++) if (marker[i]) items[fill[cells[i]!]!++] = i;
    for (let w = 0; w < n; w++) {
      this.pairStart[w] = this.pairCount;
      if (!watcher[w]) continue;
      const r = leaves[w]! + slack;
      const r2 = r * r;
      const cx = cells[w]! % cols;
      const cy = (cells[w]! - cx) / cols;
      for (let y = Math.max(0, cy - 1); y <= Math.min(rows - 1, cy + 1); y++) {
        for (let x = Math.max(0, cx - 1); x <= Math.min(cols - 1, cx + 1); x++) {
          const c = y * cols + x;
          for (let k = start[c]!; k < start[c + 1]!; k++) {
            const t = items[k]!;
            if (t === w) continue;
            const dx = xs[w]! - xs[t]!;
            const dy = ys[w]! - ys[t]!;
            const d2 = dx * dx + dy * dy;
            if (d2 <= r2) this.pushPair(w, t, d2);
          }
        }
      }
    }
    this.pairStart[n] = this.pairCount;
  }

  private pushPair(w: number, t: number, d2: number): void {
    if (this.pairCount === this.pairWatchers.length) {
      const size = Math.max(1024, this.pairCount * 2);
      const grow = <T extends Int32Array | Float64Array>(old: T, next: T): T => {
        next.set(old);
        return next;
      };
      this.pairWatchers = grow(this.pairWatchers, new Int32Array(size));
      this.pairTargets = grow(this.pairTargets, new Int32Array(size));
      this.pairD2 = grow(this.pairD2, new Float64Array(size));
    }
    const i = this.pairCount++;
    this.pairWatchers[i] = w;
    this.pairTargets[i] = t;
    this.pairD2[i] = d2;
  }
}

/** A zeroed copy with room for at least `length` (doubling, so a growing id range costs amortized O(1)). */
function grownTo(old: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(length, old.length * 2, 1024));
  next.set(old);
  return next;
}
