import type { Camera } from '../camera.js';
import { BACKGROUND, PALETTE } from '../palette.js';
import type { PointRenderer } from './point-renderer.js';

/**
 * Canvas 2D without path calls: squares are written straight into an ImageData's pixels, then put once. Without a
 * GPU (headless, remote desktops) this beats both fillRect and WebGL, which then runs on a software rasterizer.
 */
export class PixelPoints implements PointRenderer {
  readonly name = 'pixels';
  private readonly ctx: CanvasRenderingContext2D;
  private image: ImageData | undefined;
  private pixels = new Uint32Array(0);
  private ratio = 1;
  private readonly colours = new Uint32Array(PALETTE.length);
  private readonly background: number;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (ctx === null) throw new Error('Canvas 2D is not available');
    this.ctx = ctx;
    this.background = word(BACKGROUND);
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.ratio = pixelRatio;
    this.canvas.width = Math.max(1, Math.round(width * pixelRatio));
    this.canvas.height = Math.max(1, Math.round(height * pixelRatio));
    this.image = this.ctx.createImageData(this.canvas.width, this.canvas.height);
    this.pixels = new Uint32Array(this.image.data.buffer);
  }

  draw(xs: Float32Array, ys: Float32Array, colours: Uint8Array, count: number, camera: Camera, size: number): void {
    if (this.image === undefined) return;
    const pixels = this.pixels;
    pixels.fill(this.background);
    const w = this.canvas.width;
    const h = this.canvas.height;
    const r = this.ratio;
    const s = Math.max(1, Math.round(size * r));
    const half = s >> 1;
    const scale = camera.scale * r;
    const ox = (camera.width / 2) * r - camera.centerX * scale;
    const oy = (camera.height / 2) * r - camera.centerY * scale;
    // Tag colours may be configured after the renderer is made: read the palette each frame (17 words).
    const palette = this.colours;
    for (let c = 0; c < PALETTE.length; c++) palette[c] = word(PALETTE[c]!);
    for (let i = 0; i < count; i++) {
      const x0 = Math.round(xs[i]! * scale + ox) - half;
      const y0 = Math.round(ys[i]! * scale + oy) - half;
      if (x0 + s <= 0 || y0 + s <= 0 || x0 >= w || y0 >= h) continue;
      const colour = palette[colours[i]!]!;
      const xa = Math.max(0, x0);
      const xb = Math.min(w, x0 + s);
      const yb = Math.min(h, y0 + s);
      for (let y = Math.max(0, y0); y < yb; y++) pixels.fill(colour, y * w + xa, y * w + xb);
    }
    this.ctx.putImageData(this.image, 0, 0);
  }
}

/** ImageData is RGBA in memory: little-endian 32-bit words are 0xAABBGGRR. */
const word = ([r, g, b]: readonly number[]) => ((255 << 24) | (b! << 16) | (g! << 8) | r!) >>> 0;
