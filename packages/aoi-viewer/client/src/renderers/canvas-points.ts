import type { Camera } from '../camera.js';
import { BACKGROUND, css, PALETTE } from '../palette.js';
import type { PointRenderer } from './point-renderer.js';

/** Canvas 2D: one fillRect per point, grouped by colour so fillStyle changes a few times per frame. */
export class CanvasPoints implements PointRenderer {
  readonly name = 'canvas';
  private readonly ctx: CanvasRenderingContext2D;
  private ratio = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (ctx === null) throw new Error('Canvas 2D is not available');
    this.ctx = ctx;
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.ratio = pixelRatio;
    this.canvas.width = Math.round(width * pixelRatio);
    this.canvas.height = Math.round(height * pixelRatio);
  }

  draw(xs: Float32Array, ys: Float32Array, colours: Uint8Array, count: number, camera: Camera, size: number): void {
    const ctx = this.ctx;
    const r = this.ratio;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = `rgb(${BACKGROUND.join(',')})`;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const s = size * r;
    const half = s / 2;
    const w = this.canvas.width;
    const h = this.canvas.height;
    const scale = camera.scale * r;
    const ox = (camera.width / 2) * r - camera.centerX * scale;
    const oy = (camera.height / 2) * r - camera.centerY * scale;
    for (let colour = 0; colour < PALETTE.length; colour++) {
      ctx.fillStyle = css(colour);
      for (let i = 0; i < count; i++) {
        if (colours[i] !== colour) continue;
        const x = xs[i]! * scale + ox - half;
        const y = ys[i]! * scale + oy - half;
        if (x < -s || y < -s || x > w || y > h) continue;
        ctx.fillRect(x, y, s, s);
      }
    }
  }
}
