// The AOI a JavaScript developer builds on rbush, the usual spatial index: bulk-load the tree every tick (faster
// than remove + insert when everything moves), one bbox search per entity, a distance filter, a Set per view.
import RBush from 'rbush';

export class RbushAoi {
  /** @param {number} radius */
  constructor(radius) {
    this.radius = radius;
    this.tree = new RBush(16);
    /** @type {Array<{ minX: number, minY: number, maxX: number, maxY: number, id: number, view: Set<number> }>} */
    this.items = [];
  }

  /** @param {number} id @param {number} x @param {number} y */
  add(id, x, y) {
    this.items[id] = { minX: x, minY: y, maxX: x, maxY: y, id, view: new Set() };
  }

  /** @param {number} id @param {number} x @param {number} y */
  move(id, x, y) {
    const item = this.items[id];
    item.minX = item.maxX = x;
    item.minY = item.maxY = y;
  }

  /** @returns {{ enters: number, leaves: number }} */
  tick() {
    const r = this.radius;
    const r2 = r * r;
    this.tree.clear();
    this.tree.load(this.items);
    let enters = 0;
    let leaves = 0;
    const box = { minX: 0, minY: 0, maxX: 0, maxY: 0 };
    for (const item of this.items) {
      box.minX = item.minX - r;
      box.minY = item.minY - r;
      box.maxX = item.minX + r;
      box.maxY = item.minY + r;
      const next = new Set();
      for (const other of this.tree.search(box)) {
        if (other === item) continue;
        const dx = item.minX - other.minX;
        const dy = item.minY - other.minY;
        if (dx * dx + dy * dy <= r2) next.add(other.id);
      }
      for (const id of next) if (!item.view.has(id)) enters++;
      for (const id of item.view) if (!next.has(id)) leaves++;
      item.view = next;
    }
    return { enters, leaves };
  }
}
