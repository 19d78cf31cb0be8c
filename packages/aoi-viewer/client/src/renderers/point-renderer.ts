import type { Camera } from '../camera.js';

/** Draws every entity as a small square, colour by index into the palette. */
export interface PointRenderer {
  readonly name: 'canvas' | 'pixels' | 'webgl';
  /** Sets the backing size (CSS pixels times devicePixelRatio). */
  resize(width: number, height: number, pixelRatio: number): void;
  draw(xs: Float32Array, ys: Float32Array, colours: Uint8Array, count: number, camera: Camera, pointSize: number): void;
}
