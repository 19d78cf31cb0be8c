import type { Camera } from './camera.js';
import { byTestId } from './dom.js';
import type { EntityTable } from './entity-table.js';
import { niceStep } from './map-grid.js';
import { Colour, HEIGHT_STEPS } from './palette.js';

/** The map's projection: from above (x–y) or from the side (x–z, higher z drawn higher). */
export type Projection = 'top' | 'side';

/** A camera's place, kept per projection so switching back returns to where the user was. */
interface CameraPlace {
  centerX: number;
  centerY: number;
  scale: number;
  autoFit: boolean;
}

/**
 * Height on the map (docs/aoi.md, "Height"; docs/aoi-viewer.md, "Height"): colour by z on a ramp, and a side view
 * (x–z) where the selected entity's view cylinder is a rectangle of radius x half-height. Offered from the first
 * frame with height on; a 2D trace never sees the controls and its frames take none of these paths.
 */
export class HeightView {
  /** Sticky: once the source showed height, the controls stay (seeking before its first z keeps them). */
  available = false;
  colourBy = false;
  projection: Projection = 'top';
  /** The z range seen so far (it only grows, so colours do not shift while playing). */
  low = Number.POSITIVE_INFINITY;
  high = Number.NEGATIVE_INFINITY;
  /** Side view: screen y is -z times this (floors a few units apart on a map of thousands stay apart). */
  exaggeration = 1;
  private sideYs = new Float32Array(0);
  private readonly places: Partial<Record<Projection, CameraPlace>> = {};
  private readonly controls = byTestId('height-controls');
  private readonly colourToggle = byTestId<HTMLInputElement>('height-colour');
  private readonly projectionSelect = byTestId<HTMLSelectElement>('projection');

  constructor(private readonly onChange: (projectionChanged: boolean) => void) {
    this.colourToggle.addEventListener('change', () => this.setColourBy(this.colourToggle.checked));
    this.projectionSelect.addEventListener('change', () =>
      this.setProjection(this.projectionSelect.value === 'side' ? 'side' : 'top'),
    );
  }

  get side(): boolean {
    return this.available && this.projection === 'side';
  }

  /** Whether this frame colours by height. */
  colouring(table: EntityTable): boolean {
    return this.colourBy && table.height !== undefined && this.low <= this.high;
  }

  setColourBy(on: boolean): void {
    this.colourBy = on;
    this.colourToggle.checked = on;
    this.onChange(false);
  }

  setProjection(projection: Projection): void {
    if (projection === this.projection) return;
    this.projection = projection;
    this.projectionSelect.value = projection;
    this.onChange(true);
  }

  /** Takes in a frame's heights: shows the controls on the first one and widens the z range. */
  observe(table: EntityTable): void {
    const height = table.height;
    if (height === undefined) return;
    if (!this.available) {
      this.available = true;
      this.controls.hidden = false;
    }
    let { low, high } = this;
    const zs = height.zs;
    for (let i = 0; i < table.count; i++) {
      const z = zs[i]!;
      if (z < low) low = z;
      if (z > high) high = z;
    }
    this.low = low;
    this.high = high;
  }

  /** Base colours on the ramp by z; marks are applied after, as in the top view. */
  colour(table: EntityTable, colours: Uint8Array, used: Uint8Array): void {
    const zs = table.height!.zs;
    const { low, high } = this;
    // The ramp's step of z within [low, high]: one multiply and a clamp per entity (all in step 0 when equal).
    const perUnit = high > low ? HEIGHT_STEPS / (high - low) : 0;
    for (let i = 0; i < table.count; i++) {
      const step = Math.floor((zs[i]! - low) * perUnit);
      const c = Colour.Height0 + (step < 0 ? 0 : step >= HEIGHT_STEPS ? HEIGHT_STEPS - 1 : step);
      colours[i] = c;
      used[c] = 1;
    }
  }

  /** The vertical screen axis of the side view: -z, stretched by {@link exaggeration}. */
  ysOf(table: EntityTable): Float32Array {
    if (this.sideYs.length < table.count) this.sideYs = new Float32Array(table.ids.length);
    const zs = table.height?.zs;
    const k = this.exaggeration;
    for (let i = 0; i < table.count; i++) this.sideYs[i] = zs === undefined ? 0 : -zs[i]! * k;
    return this.sideYs;
  }

  /** Fits the side view: every x seen in the table across, the z range seen down, z stretched to fill the height. */
  fitSide(table: EntityTable, camera: Camera): void {
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < table.count; i++) {
      const x = table.xs[i]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
    if (!(minX <= maxX) || !(this.low <= this.high)) return;
    const spanX = Math.max(maxX - minX, 1);
    const spanZ = this.high - this.low;
    // z fills about half the map's height when x fills its width; a whole step (1, 2, 5 x 10^k), never below 1.
    const wanted = spanZ > 0 ? (spanX * (camera.height / camera.width) * 0.5) / spanZ : 1;
    this.exaggeration = wanted > 1 ? niceStep(wanted) : 1;
    const k = this.exaggeration;
    const padZ = Math.max(spanZ * k * 0.15, spanX * 0.05);
    camera.fitRect(minX, -this.high * k - padZ, maxX, -this.low * k + padZ);
  }

  /** Keeps the camera of the projection left, and returns the one of the projection entered (if it had one). */
  swapPlace(camera: Camera, autoFit: boolean, left: Projection): CameraPlace | undefined {
    this.places[left] = { centerX: camera.centerX, centerY: camera.centerY, scale: camera.scale, autoFit };
    return this.places[this.projection];
  }
}
