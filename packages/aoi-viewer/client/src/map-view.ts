import { Flag } from '../../src/protocol/wire.js';
import { Camera } from './camera.js';
import type { EntityTable } from './entity-table.js';
import { Overlay, type OverlayScene } from './overlay.js';
import { Colour } from './palette.js';
import { CanvasPoints } from './renderers/canvas-points.js';
import { PixelPoints } from './renderers/pixel-points.js';
import type { PointRenderer } from './renderers/point-renderer.js';
import { WebglPoints } from './renderers/webgl-points.js';

/** The map: a points layer (WebGL or Canvas 2D), the overlay, pan (drag), zoom (wheel) and click to select. */
export class MapView {
  readonly camera = new Camera();
  readonly points: PointRenderer;
  private readonly overlay: Overlay;
  private colours = new Uint8Array(0);
  private fitted = false;
  onPick: (id: number | undefined) => void = () => {};
  onCameraChange: () => void = () => {};

  constructor(
    private readonly container: HTMLElement,
    pointsCanvas: HTMLCanvasElement,
    overlayCanvas: HTMLCanvasElement,
    renderer: string | null,
  ) {
    this.points = makeRenderer(pointsCanvas, renderer);
    this.overlay = new Overlay(overlayCanvas);
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
    this.listen(overlayCanvas);
  }

  /** Draws the table; `marks` colour some entities (view set, highlights, diff) on both layers. */
  draw(scene: Omit<OverlayScene, 'camera'>): void {
    const { table } = scene;
    if (!this.fitted && table.count > 0) {
      this.camera.fit(table.xs, table.ys, table.count);
      this.fitted = true;
    }
    if (this.colours.length < table.count) this.colours = new Uint8Array(table.ids.length);
    const colours = this.colours;
    for (let i = 0; i < table.count; i++) colours[i] = table.flags[i]! & Flag.Watcher ? Colour.Watcher : Colour.Passive;
    for (const [id, colour] of scene.marks) {
      const slot = table.slots.get(id);
      if (slot !== undefined) colours[slot] = colour;
    }
    const size = Math.max(3, Math.min(6, this.camera.scale * 2));
    this.points.draw(table.xs, table.ys, colours, table.count, this.camera, size);
    this.overlay.draw({ ...scene, camera: this.camera });
  }

  /** Fits the view to the world again on the next draw (the `f` key). */
  fitToWorld(): void {
    this.fitted = false;
    this.onCameraChange();
  }

  /** Centres the view on a world point, zooming in if the view is wider than `span` world units. */
  centreOn(x: number, y: number, span?: number): void {
    this.camera.centerX = x;
    this.camera.centerY = y;
    if (span !== undefined)
      this.camera.scale = Math.max(this.camera.scale, Math.min(this.camera.width, this.camera.height) / span);
    this.onCameraChange();
  }

  /** Page coordinates (CSS pixels) of a world point. */
  toPage(x: number, y: number): { x: number; y: number } {
    const rect = this.container.getBoundingClientRect();
    return { x: rect.left + this.camera.toScreenX(x), y: rect.top + this.camera.toScreenY(y) };
  }

  private resize(): void {
    const rect = this.container.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.camera.width = Math.max(1, rect.width);
    this.camera.height = Math.max(1, rect.height);
    this.points.resize(this.camera.width, this.camera.height, ratio);
    this.overlay.resize(this.camera.width, this.camera.height, ratio);
    this.onCameraChange();
  }

  private listen(target: HTMLCanvasElement): void {
    let drag: { x: number; y: number; moved: boolean } | undefined;
    target.addEventListener('pointerdown', (event) => {
      drag = { x: event.clientX, y: event.clientY, moved: false };
      target.setPointerCapture(event.pointerId);
    });
    target.addEventListener('pointermove', (event) => {
      if (drag === undefined) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 3) return;
      drag = { x: event.clientX, y: event.clientY, moved: true };
      this.camera.pan(dx, dy);
      this.onCameraChange();
    });
    target.addEventListener('pointerup', (event) => {
      const wasDrag = drag?.moved ?? false;
      drag = undefined;
      if (wasDrag) return;
      const rect = target.getBoundingClientRect();
      const wx = this.camera.toWorldX(event.clientX - rect.left);
      const wy = this.camera.toWorldY(event.clientY - rect.top);
      this.onPickAt?.(wx, wy, 8 / this.camera.scale);
    });
    target.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = target.getBoundingClientRect();
        this.camera.zoomAt(event.clientX - rect.left, event.clientY - rect.top, Math.exp(-event.deltaY * 0.0015));
        this.onCameraChange();
      },
      { passive: false },
    );
  }

  /** Set by the app: resolves a click at a world point to an entity. */
  onPickAt: ((x: number, y: number, radius: number) => void) | undefined;

  pickIn(table: EntityTable, x: number, y: number, radius: number): void {
    const slot = table.nearest(x, y, radius);
    this.onPick(slot < 0 ? undefined : table.ids[slot]);
  }
}

/**
 * `webgl`, `canvas` or `pixels` when asked; otherwise WebGL on a real GPU and ImageData pixels when WebGL would run
 * on a software rasterizer (measured: docs/aoi-viewer.md, "Rendering").
 */
function makeRenderer(canvas: HTMLCanvasElement, wanted: string | null): PointRenderer {
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
