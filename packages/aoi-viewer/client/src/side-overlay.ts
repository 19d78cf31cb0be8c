import type { Camera } from './camera.js';
import type { EntityTable } from './entity-table.js';
import { drawScaleBar, niceStep } from './map-grid.js';
import { Colour, css } from './palette.js';

/** What the side view (x–z) draws over the points. */
export interface SideScene {
  table: EntityTable;
  camera: Camera;
  /** The points' vertical axis: -z times `exaggeration`. */
  ys: Float32Array;
  exaggeration: number;
  selected: number | undefined;
  marks: ReadonlyMap<number, number>;
}

const GUIDE_PX = 60;

/**
 * The side view's layer: z guide lines (labelled in world z), marked dots, and the selected entity's view and
 * leave cylinders seen from the side, rectangles of radius x half-height (an unbounded half-height reaches the
 * edges). Returns the scale bar's length (world x units).
 */
export function drawSideOverlay(ctx: CanvasRenderingContext2D, scene: SideScene): number {
  const { table, camera, ys, exaggeration: k } = scene;
  drawZGuides(ctx, camera, k);
  for (const [id, colour] of scene.marks) {
    const slot = table.slots.get(id);
    if (slot === undefined) continue;
    dot(ctx, camera.toScreenX(table.xs[slot]!), camera.toScreenY(ys[slot]!), 4, css(colour));
  }
  const slot = scene.selected === undefined ? undefined : table.slots.get(scene.selected);
  const height = table.height;
  if (slot !== undefined && height !== undefined) {
    const x = table.xs[slot]!;
    const y = ys[slot]!;
    ctx.strokeStyle = css(Colour.Selected, 0.9);
    ctx.lineWidth = 1.5;
    cylinder(ctx, camera, x, y, table.viewRadii[slot]!, height.viewHeights[slot]! * k, []);
    cylinder(ctx, camera, x, y, table.leaveRadii[slot]!, height.leaveHeights[slot]! * k, [4, 4]);
    dot(ctx, camera.toScreenX(x), camera.toScreenY(y), 6, css(Colour.Selected));
  }
  return drawScaleBar(ctx, camera);
}

/** Horizontal lines at "nice" z values, labelled down the left edge. */
function drawZGuides(ctx: CanvasRenderingContext2D, camera: Camera, k: number): void {
  const step = niceStep(GUIDE_PX / (camera.scale * k));
  // Screen top is the highest z on screen.
  const zTop = -camera.toWorldY(0) / k;
  const zBottom = -camera.toWorldY(camera.height) / k;
  ctx.save();
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(216, 221, 227, 0.1)';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = 'rgba(216, 221, 227, 0.6)';
  ctx.textBaseline = 'bottom';
  ctx.beginPath();
  const labels: [string, number][] = [];
  for (let z = Math.ceil(zBottom / step) * step; z <= zTop; z += step) {
    const sy = Math.round(camera.toScreenY(-z * k)) + 0.5;
    ctx.moveTo(0, sy);
    ctx.lineTo(camera.width, sy);
    labels.push([`z ${Number(z.toPrecision(6))}`, sy]);
  }
  ctx.stroke();
  for (const [text, sy] of labels) ctx.fillText(text, 3, sy - 2);
  // Top right, left of the Fit button: what the vertical axis is.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(k === 1 ? 'side view (x–z)' : `side view (x–z), z ×${k}`, camera.width - 64, 12);
  ctx.restore();
}

/** A rectangle x ± r, y ± h on screen, clipped to the map (h may be Infinity). */
function cylinder(
  ctx: CanvasRenderingContext2D,
  camera: Camera,
  x: number,
  y: number,
  r: number,
  h: number,
  dash: number[],
): void {
  const left = camera.toScreenX(x - r);
  const right = camera.toScreenX(x + r);
  const top = Math.max(-2, camera.toScreenY(y - h));
  const bottom = Math.min(camera.height + 2, camera.toScreenY(y + h));
  if (right - left < 1 || !(bottom >= top)) return;
  ctx.setLineDash(dash);
  ctx.strokeRect(left, top, right - left, Math.max(1, bottom - top));
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}
