// The baseline: the grid AOI a JavaScript developer writes from a textbook. Cell = radius, a Map from a numeric cell
// key to a Set of ids, a Set per view, 3x3 cells scanned per entity per tick, views diffed against the previous tick.

/** Numeric cell key (no string building); cells from -2^20 to 2^20 on each axis. */
const cellKey = (/** @type {number} */ cx, /** @type {number} */ cy) => (cx + 1048576) * 2097152 + (cy + 1048576);

export class TextbookGrid {
  /** @param {number} radius */
  constructor(radius) {
    this.radius = radius;
    /** @type {Map<number, Set<number>>} */
    this.cells = new Map();
    /** @type {Map<number, { x: number, y: number, cell: number, view: Set<number> }>} */
    this.entities = new Map();
  }

  /** @param {number} x @param {number} y */
  key(x, y) {
    return cellKey(Math.floor(x / this.radius), Math.floor(y / this.radius));
  }

  /** @param {number} id @param {number} x @param {number} y */
  add(id, x, y) {
    const cell = this.key(x, y);
    this.entities.set(id, { x, y, cell, view: new Set() });
    this.cellSet(cell).add(id);
  }

  /** @param {number} cell */
  cellSet(cell) {
    let set = this.cells.get(cell);
    if (set === undefined) {
      set = new Set();
      this.cells.set(cell, set);
    }
    return set;
  }

  /** @param {number} id @param {number} x @param {number} y */
  move(id, x, y) {
    const e = /** @type {NonNullable<ReturnType<Map<number, any>['get']>>} */ (this.entities.get(id));
    e.x = x;
    e.y = y;
    const cell = this.key(x, y);
    if (cell !== e.cell) {
      this.cells.get(e.cell)?.delete(id);
      this.cellSet(cell).add(id);
      e.cell = cell;
    }
  }

  /** @returns {{ enters: number, leaves: number }} */
  tick() {
    let enters = 0;
    let leaves = 0;
    const r2 = this.radius * this.radius;
    for (const [id, e] of this.entities) {
      const cx = Math.floor(e.x / this.radius);
      const cy = Math.floor(e.y / this.radius);
      const next = new Set();
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const set = this.cells.get(cellKey(cx + dx, cy + dy));
          if (set === undefined) continue;
          for (const other of set) {
            if (other === id) continue;
            const o = /** @type {{ x: number, y: number }} */ (this.entities.get(other));
            const ddx = e.x - o.x;
            const ddy = e.y - o.y;
            if (ddx * ddx + ddy * ddy <= r2) next.add(other);
          }
        }
      }
      for (const other of next) if (!e.view.has(other)) enters++;
      for (const other of e.view) if (!next.has(other)) leaves++;
      e.view = next;
    }
    return { enters, leaves };
  }
}
