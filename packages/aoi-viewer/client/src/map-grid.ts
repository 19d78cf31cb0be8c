import type { Camera } from './camera.js';
import type { WorldBounds } from './world-bounds.js';

/** The smallest 1, 2 or 5 x 10^k that is at least `min`. */
export function niceStep(min: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(min, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * power >= min) return m * power;
  return 10 * power;
}

const GRID_PX = 90;
const LABEL = '11px system-ui, sans-serif';

/** Formats a world coordinate with no more digits than the step needs. */
function coordinate(value: number, step: number): string {
  const digits = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
  return value.toFixed(digits);
}

/** A light world grid every "nice" step (about 90 px apart), with coordinates along the top and left edges. */
export function drawGrid(ctx: CanvasRenderingContext2D, camera: Camera): void {
  const step = niceStep(GRID_PX / camera.scale);
  const x0 = Math.ceil(camera.toWorldX(0) / step) * step;
  const y0 = Math.ceil(camera.toWorldY(0) / step) * step;
  const x1 = camera.toWorldX(camera.width);
  const y1 = camera.toWorldY(camera.height);
  ctx.save();
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(216, 221, 227, 0.08)';
  ctx.beginPath();
  for (let x = x0; x <= x1; x += step) {
    const sx = Math.round(camera.toScreenX(x)) + 0.5;
    ctx.moveTo(sx, 0);
    ctx.lineTo(sx, camera.height);
  }
  for (let y = y0; y <= y1; y += step) {
    const sy = Math.round(camera.toScreenY(y)) + 0.5;
    ctx.moveTo(0, sy);
    ctx.lineTo(camera.width, sy);
  }
  ctx.stroke();
  ctx.font = LABEL;
  ctx.fillStyle = 'rgba(216, 221, 227, 0.55)';
  ctx.textBaseline = 'top';
  // x labels along the top, y labels down the left; none in the corner where the two would overlap.
  for (let x = x0; x <= x1; x += step) {
    const sx = camera.toScreenX(x);
    if (sx > 36) ctx.fillText(coordinate(x, step), sx + 3, 3);
  }
  for (let y = y0; y <= y1; y += step) {
    const sy = camera.toScreenY(y);
    if (sy > 16) ctx.fillText(coordinate(y, step), 3, sy + 3);
  }
  ctx.restore();
}

/** The world's border: the recorded bounds solid, the extent seen so far dashed. */
export function drawBorder(ctx: CanvasRenderingContext2D, camera: Camera, bounds: WorldBounds): void {
  if (bounds.empty) return;
  ctx.save();
  ctx.strokeStyle = 'rgba(216, 221, 227, 0.6)';
  ctx.lineWidth = 1;
  ctx.setLineDash(bounds.recorded ? [] : [6, 4]);
  const x = camera.toScreenX(bounds.minX);
  const y = camera.toScreenY(bounds.minY);
  ctx.strokeRect(
    Math.round(x) + 0.5,
    Math.round(y) + 0.5,
    Math.round((bounds.maxX - bounds.minX) * camera.scale),
    Math.round((bounds.maxY - bounds.minY) * camera.scale),
  );
  ctx.restore();
}

/** A bar of a nice length (about 120 px) in the bottom-right corner, labelled in world units. */
export function drawScaleBar(ctx: CanvasRenderingContext2D, camera: Camera): number {
  const length = niceStep(120 / camera.scale);
  const px = length * camera.scale;
  const right = camera.width - 16;
  const bottom = camera.height - 14;
  ctx.save();
  ctx.setLineDash([]);
  ctx.strokeStyle = 'rgba(216, 221, 227, 0.9)';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(right - px, bottom - 5);
  ctx.lineTo(right - px, bottom);
  ctx.lineTo(right, bottom);
  ctx.lineTo(right, bottom - 5);
  ctx.stroke();
  ctx.font = LABEL;
  ctx.fillStyle = 'rgba(216, 221, 227, 0.9)';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`${length} units`, right - px / 2, bottom - 4);
  ctx.restore();
  return length;
}
