import type { Camera } from './camera.js';
import type { EntityTable } from './entity-table.js';
import { heatRgba } from './palette.js';

/** Above this many cells on screen the cell grows by powers of two (a cell under ~3 px tells nothing). */
const MAX_CELLS = 40_000;

export interface HeatSummary {
  /** Edge of a drawn cell in world units, and the recorded one it is a multiple of. */
  cell: number;
  recordedCell: number;
  /** Entities in the busiest cell on screen. */
  max: number;
  /** Cells on screen with at least one entity. */
  occupied: number;
}

/**
 * Entities per cell, counted in the page from the positions of the current tick on a world-aligned grid (the cell
 * edge is the engine's recorded grid cell, else the trace's `regionSize`), drawn as a translucent colour ramp over the points.
 */
export class HeatLayer {
  private counts = new Uint32Array(0);
  private readonly canvas = document.createElement('canvas');
  private readonly ctx = this.canvas.getContext('2d')!;
  summary: HeatSummary | undefined;
  private image: ImageData | undefined;
  private pixels = new Uint32Array(0);
  /** The ramp as ImageData words (0xAABBGGRR), 64 steps. */
  private readonly ramp = Uint32Array.from({ length: 64 }, (_, i) => {
    const [r, g, b, a] = heatRgba(i / 63);
    return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
  });
  private cols = 0;
  private rows = 0;
  private gx0 = 0;
  private gy0 = 0;

  constructor(private readonly recordedCell: number) {}

  draw(target: CanvasRenderingContext2D, table: EntityTable, camera: Camera): HeatSummary {
    let cell = this.recordedCell > 0 ? this.recordedCell : 64;
    const cellsOnScreen = () =>
      (camera.width / (cell * camera.scale) + 2) * (camera.height / (cell * camera.scale) + 2);
    while (cellsOnScreen() > MAX_CELLS) cell *= 2;
    const gx0 = Math.floor(camera.toWorldX(0) / cell);
    const gy0 = Math.floor(camera.toWorldY(0) / cell);
    const cols = Math.floor(camera.toWorldX(camera.width) / cell) - gx0 + 1;
    const rows = Math.floor(camera.toWorldY(camera.height) / cell) - gy0 + 1;
    Object.assign(this, { cols, rows, gx0, gy0 });
    if (this.counts.length < cols * rows) this.counts = new Uint32Array(cols * rows);
    const counts = this.counts;
    counts.fill(0, 0, cols * rows);
    const { xs, ys } = table;
    const inv = 1 / cell;
    let max = 0;
    for (let i = 0; i < table.count; i++) {
      const cx = Math.floor(xs[i]! * inv) - gx0;
      const cy = Math.floor(ys[i]! * inv) - gy0;
      if (cx < 0 || cy < 0 || cx >= cols || cy >= rows) continue;
      const n = ++counts[cy * cols + cx]!;
      if (n > max) max = n;
    }
    if (this.image === undefined || this.image.width !== cols || this.image.height !== rows) {
      this.canvas.width = cols;
      this.canvas.height = rows;
      this.image = this.ctx.createImageData(cols, rows);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const pixels = this.pixels;
    const logMax = max <= 1 ? 0 : Math.log(max);
    let occupied = 0;
    for (let k = 0; k < cols * rows; k++) {
      const n = counts[k]!;
      if (n === 0) {
        pixels[k] = 0;
        continue;
      }
      occupied++;
      pixels[k] = this.ramp[logMax === 0 ? 63 : Math.round((Math.log(n) / logMax) * 63)]!;
    }
    this.ctx.putImageData(this.image, 0, 0);
    target.save();
    target.imageSmoothingEnabled = false;
    const px = cell * camera.scale;
    target.drawImage(this.canvas, camera.toScreenX(gx0 * cell), camera.toScreenY(gy0 * cell), cols * px, rows * px);
    target.restore();
    this.summary = { cell, recordedCell: this.recordedCell, max, occupied };
    return this.summary;
  }

  /** Entities counted in the cell holding world point (x, y) at the last draw (for tests). */
  countAt(x: number, y: number): number {
    const s = this.summary;
    if (s === undefined) return 0;
    const cx = Math.floor(x / s.cell) - this.gx0;
    const cy = Math.floor(y / s.cell) - this.gy0;
    if (cx < 0 || cy < 0 || cx >= this.cols || cy >= this.rows) return 0;
    return this.counts[cy * this.cols + cx]!;
  }
}
