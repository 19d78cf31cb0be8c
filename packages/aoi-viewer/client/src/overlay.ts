import type { PathResult } from '../../src/protocol/api-types.js';
import { Flag } from '../../src/protocol/wire.js';
import type { Camera } from './camera.js';
import type { EntityTable } from './entity-table.js';
import type { HeatLayer, HeatSummary } from './heat-layer.js';
import { drawBorder, drawGrid, drawScaleBar } from './map-grid.js';
import { Colour, css, pathColour } from './palette.js';
import { drawSideOverlay, type SideScene } from './side-overlay.js';
import type { WorldBounds } from './world-bounds.js';

/** An entity drawn where trace B (or tick B) has it, with B's radii when known. */
export interface GhostB {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly viewRadius?: number;
  readonly leaveRadius?: number;
}

export interface OverlayScene {
  table: EntityTable;
  camera: Camera;
  selected: number | undefined;
  /** Ids drawn as marked dots, by colour (view set, highlights, diff sides). */
  marks: ReadonlyMap<number, number>;
  path: PathResult | undefined;
  pathColour: 'time' | 'speed';
  showAllAoi: boolean;
  bounds?: WorldBounds | undefined;
  grid?: boolean | undefined;
  heat?: HeatLayer | undefined;
  /** Diff: entities seen only in B at B's positions, and the selected entity as B has it (its radii). */
  ghostsB?: readonly GhostB[] | undefined;
  selectedB?: GhostB | undefined;
}

export interface OverlayStats {
  /** "All AOI": circles drawn, and watchers in the tick. */
  aoiDrawn: number;
  aoiWatchers: number;
  aoiCapped: boolean;
  /** Whether id labels were drawn (few enough entities on screen). */
  labels: boolean;
  heat: HeatSummary | undefined;
  scaleBar: number;
  /** Diff: the selected entity as side B has it (whose radii were drawn), if any. */
  selectedB: GhostB | undefined;
}

/** More circles than this are not drawn; the page then says how many of how many it drew. */
export const MAX_AOI_CIRCLES = 10_000;
/** Id labels appear when at most this many entities are on screen. */
export const MAX_LABELS = 150;

/** The 2D layer above the points: grid, heat, AOI circles, paths, labels and bigger dots for marked entities. */
export class Overlay {
  private readonly ctx: CanvasRenderingContext2D;
  private ratio = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')!;
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.ratio = pixelRatio;
    this.canvas.width = Math.round(width * pixelRatio);
    this.canvas.height = Math.round(height * pixelRatio);
  }

  draw(scene: OverlayScene): OverlayStats {
    const { ctx } = this;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, scene.camera.width, scene.camera.height);
    const { table, camera } = scene;
    if (scene.grid !== false) drawGrid(ctx, camera);
    const heat = scene.heat?.draw(ctx, table, camera);
    if (scene.bounds) drawBorder(ctx, camera, scene.bounds);
    const aoi = scene.showAllAoi ? this.drawAllAoi(scene) : { drawn: 0, watchers: 0, capped: false };
    if (scene.path) this.drawPath(scene.path, camera, scene.pathColour);
    const labels = this.drawLabels(table, camera);
    for (const [id, colour] of scene.marks) {
      const slot = table.slots.get(id);
      if (slot === undefined) continue;
      const x = camera.toScreenX(table.xs[slot]!);
      const y = camera.toScreenY(table.ys[slot]!);
      if (colour === Colour.Anomaly) {
        ctx.strokeStyle = css(Colour.Anomaly);
        ctx.lineWidth = 2;
        this.circle(x, y, 9, []);
      }
      this.dot(x, y, 4, css(colour));
    }
    for (const ghost of scene.ghostsB ?? []) {
      const x = camera.toScreenX(ghost.x);
      const y = camera.toScreenY(ghost.y);
      this.dot(x, y, 4, css(Colour.DiffB));
    }
    const slot = scene.selected === undefined ? undefined : table.slots.get(scene.selected);
    if (slot !== undefined) {
      const x = camera.toScreenX(table.xs[slot]!);
      const y = camera.toScreenY(table.ys[slot]!);
      ctx.strokeStyle = css(Colour.Selected, 0.9);
      ctx.lineWidth = 1.5;
      this.circle(x, y, table.viewRadii[slot]! * camera.scale, []);
      this.circle(x, y, table.leaveRadii[slot]! * camera.scale, [4, 4]);
      this.dot(x, y, 6, css(Colour.Selected));
    }
    const b = scene.selectedB;
    if (b !== undefined) {
      // Trace B's own radii around B's position: why B's view set differs.
      const x = camera.toScreenX(b.x);
      const y = camera.toScreenY(b.y);
      ctx.strokeStyle = css(Colour.DiffB, 0.9);
      ctx.lineWidth = 1.5;
      this.circle(x, y, (b.viewRadius ?? 0) * camera.scale, []);
      this.circle(x, y, (b.leaveRadius ?? 0) * camera.scale, [2, 5]);
    }
    const scaleBar = drawScaleBar(ctx, camera);
    return {
      aoiDrawn: aoi.drawn,
      aoiWatchers: aoi.watchers,
      aoiCapped: aoi.capped,
      labels,
      heat,
      scaleBar,
      selectedB: b,
    };
  }

  /** The side view's layer (x–z): no heat, border, paths or circles, which belong to the view from above. */
  drawSide(scene: SideScene): OverlayStats {
    const { ctx } = this;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, scene.camera.width, scene.camera.height);
    const scaleBar = drawSideOverlay(ctx, scene);
    return {
      aoiDrawn: 0,
      aoiWatchers: 0,
      aoiCapped: false,
      labels: false,
      heat: undefined,
      scaleBar,
      selectedB: undefined,
    };
  }

  /** Every watcher's view circle that reaches the screen, in one path, up to MAX_AOI_CIRCLES. */
  private drawAllAoi({ table, camera }: OverlayScene): { drawn: number; watchers: number; capped: boolean } {
    const ctx = this.ctx;
    let watchers = 0;
    let drawn = 0;
    let capped = false;
    ctx.strokeStyle = css(Colour.Watcher, 0.25);
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (let i = 0; i < table.count; i++) {
      if (!(table.flags[i]! & Flag.Watcher)) continue;
      watchers++;
      const r = table.viewRadii[i]! * camera.scale;
      const x = camera.toScreenX(table.xs[i]!);
      const y = camera.toScreenY(table.ys[i]!);
      if (x < -r || y < -r || x > camera.width + r || y > camera.height + r) continue;
      if (drawn >= MAX_AOI_CIRCLES) {
        capped = true;
        continue;
      }
      drawn++;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, Math.max(r, 0.5), 0, Math.PI * 2);
    }
    ctx.stroke();
    return { drawn, watchers, capped };
  }

  /** Ids beside the dots when few enough are on screen to read them. */
  private drawLabels(table: EntityTable, camera: Camera): boolean {
    const visible: number[] = [];
    for (let i = 0; i < table.count; i++) {
      const x = camera.toScreenX(table.xs[i]!);
      const y = camera.toScreenY(table.ys[i]!);
      if (x < 0 || y < 0 || x > camera.width || y > camera.height) continue;
      if (visible.push(i) > MAX_LABELS) return false;
    }
    const ctx = this.ctx;
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = 'rgba(216, 221, 227, 0.75)';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    for (const i of visible) {
      ctx.fillText(String(table.ids[i]), camera.toScreenX(table.xs[i]!) + 6, camera.toScreenY(table.ys[i]!) - 6);
    }
    return true;
  }

  private drawPath(path: PathResult, camera: Camera, by: 'time' | 'speed'): void {
    const ctx = this.ctx;
    const n = path.ticks.length;
    if (n < 2) return;
    let maxSpeed = 0;
    const speeds: number[] = [0];
    for (let i = 1; i < n; i++) {
      const dt = Math.max(1, path.ticks[i]! - path.ticks[i - 1]!);
      const speed = Math.hypot(path.xs[i]! - path.xs[i - 1]!, path.ys[i]! - path.ys[i - 1]!) / dt;
      speeds.push(speed);
      maxSpeed = Math.max(maxSpeed, speed);
    }
    ctx.lineWidth = 2;
    ctx.setLineDash([]);
    for (let i = 1; i < n; i++) {
      const f = by === 'time' ? i / (n - 1) : maxSpeed === 0 ? 0 : speeds[i]! / maxSpeed;
      ctx.strokeStyle = pathColour(by, f);
      ctx.beginPath();
      ctx.moveTo(camera.toScreenX(path.xs[i - 1]!), camera.toScreenY(path.ys[i - 1]!));
      ctx.lineTo(camera.toScreenX(path.xs[i]!), camera.toScreenY(path.ys[i]!));
      ctx.stroke();
    }
  }

  private circle(x: number, y: number, r: number, dash: number[]): void {
    if (r <= 0.5) return;
    this.ctx.setLineDash(dash);
    this.ctx.beginPath();
    this.ctx.arc(x, y, r, 0, Math.PI * 2);
    this.ctx.stroke();
  }

  private dot(x: number, y: number, r: number, fill: string): void {
    this.ctx.fillStyle = fill;
    this.ctx.beginPath();
    this.ctx.arc(x, y, r, 0, Math.PI * 2);
    this.ctx.fill();
  }
}
