import { CanvasPoints } from './canvas-points.js';
import { PixelPoints } from './pixel-points.js';
import type { PointRenderer } from './point-renderer.js';
import { WebglPoints } from './webgl-points.js';

/**
 * `webgl`, `canvas` or `pixels` when asked; otherwise WebGL on a real GPU and ImageData pixels when WebGL would run
 * on a software rasterizer (measured: docs/aoi-viewer.md, "Rendering").
 */
export function makeRenderer(canvas: HTMLCanvasElement, wanted: string | null): PointRenderer {
  if (wanted === 'canvas') return new CanvasPoints(canvas);
  if (wanted === 'pixels' || (wanted !== 'webgl' && !hasHardwareWebgl())) return new PixelPoints(canvas);
  try {
    return new WebglPoints(canvas);
  } catch {
    return new PixelPoints(canvas);
  }
}

function hasHardwareWebgl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl');
  if (gl === null) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}
