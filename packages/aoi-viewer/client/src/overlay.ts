import type { PathResult } from '../../src/protocol/api-types.js';
import { Flag } from '../../src/protocol/wire.js';
import type { Camera } from './camera.js';
import type { EntityTable } from './entity-table.js';
import { Colour, css } from './palette.js';

export interface OverlayScene {
  table: EntityTable;
  camera: Camera;
  selected: number | undefined;
  /** Ids drawn as marked dots, by colour (view set, highlights, diff sides). */
  marks: ReadonlyMap<number, number>;
  path: PathResult | undefined;
  pathColour: 'time' | 'speed';
  showAllAoi: boolean;
}

/** Above this many entities on screen, "all AOI" circles are not drawn (they would be noise, and slow). */
const MAX_AOI_CIRCLES = 1500;

/** The 2D layer above the points: AOI circles, paths, and bigger dots for the selection and marked entities. */
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

  draw(scene: OverlayScene): void {
    const { ctx } = this;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, scene.camera.width, scene.camera.height);
    if (scene.showAllAoi) this.drawAllAoi(scene);
    if (scene.path) this.drawPath(scene.path, scene.camera, scene.pathColour);
    const { table, camera } = scene;
    for (const [id, colour] of scene.marks) {
      const slot = table.slots.get(id);
      if (slot === undefined) continue;
      this.dot(camera.toScreenX(table.xs[slot]!), camera.toScreenY(table.ys[slot]!), 4, css(colour));
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
  }

  private drawAllAoi({ table, camera }: OverlayScene): void {
    const ctx = this.ctx;
    const visible: number[] = [];
    for (let i = 0; i < table.count; i++) {
      if (!(table.flags[i]! & Flag.Watcher)) continue;
      const x = camera.toScreenX(table.xs[i]!);
      const y = camera.toScreenY(table.ys[i]!);
      if (x < 0 || y < 0 || x > camera.width || y > camera.height) continue;
      visible.push(i);
      if (visible.length > MAX_AOI_CIRCLES) return;
    }
    ctx.strokeStyle = css(Colour.Watcher, 0.25);
    ctx.lineWidth = 1;
    for (const i of visible) {
      this.circle(
        camera.toScreenX(table.xs[i]!),
        camera.toScreenY(table.ys[i]!),
        table.viewRadii[i]! * camera.scale,
        [],
      );
    }
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
      // Time: blue (old) to red (new). Speed: green (slow) to red (fast).
      const f = by === 'time' ? i / (n - 1) : maxSpeed === 0 ? 0 : speeds[i]! / maxSpeed;
      ctx.strokeStyle = by === 'time' ? `hsl(${240 - 240 * f}, 90%, 60%)` : `hsl(${120 - 120 * f}, 90%, 55%)`;
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
