import type { SourceInfo } from '../../src/protocol/api-types.js';
import { Flag } from '../../src/protocol/wire.js';
import { Camera } from './camera.js';
import { byTestId } from './dom.js';
import type { EntityTable } from './entity-table.js';
import { HeatLayer } from './heat-layer.js';
import { HeightView, type Projection } from './height-view.js';
import { Legend } from './legend.js';
import { listenGestures } from './map-gestures.js';
import { MapTooltip } from './map-tooltip.js';
import { Overlay, type OverlayScene, type OverlayStats } from './overlay.js';
import { baseColour, Colour, configurePalette, PALETTE, parseColourOverrides, TAG_SLOTS } from './palette.js';
import { makeRenderer } from './renderers/choose-renderer.js';
import type { PointRenderer } from './renderers/point-renderer.js';
import { WorldBounds } from './world-bounds.js';

/** Zoom stays within these multiples of the fitted scale. */
const MIN_ZOOM = 1 / 16;
const MAX_ZOOM = 2000;

export type MapScene = Omit<OverlayScene, 'camera' | 'bounds' | 'heat' | 'grid'>;

/**
 * The map: a points layer (WebGL or Canvas 2D), the overlay (grid, border, heat, circles, paths, labels, scale
 * bar), the legend, the hover tooltip; pan (drag), zoom (wheel, about the cursor), click to select, fit.
 */
export class MapView {
  readonly camera = new Camera();
  readonly points: PointRenderer;
  private readonly overlay: Overlay;
  private colours = new Uint8Array(0);
  /** True until the user pans or zooms: the view keeps fitting the world (on resize, as the world grows). */
  private autoFit = true;
  private fittedScale = 1;
  private bounds = new WorldBounds(undefined);
  private heat: HeatLayer | undefined;
  /** Grid, its coordinates (on by default; the bench turns it off to state its cost). */
  grid = true;
  private heatCell = 64;
  private tagNames: readonly string[] = [];
  private configuredTags = '';
  private readonly legend = new Legend(byTestId('legend-items'));
  private readonly tooltip: MapTooltip;
  private table: EntityTable | undefined;
  /** Colour by height and the side view, offered when the trace has height. */
  readonly height = new HeightView((projection) => (projection ? this.projectionChanged() : this.onCameraChange()));
  /** What the last frame drew (the tests and the bench read it). */
  stats: OverlayStats | undefined;
  coloursInUse = new Set<number>();
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
    this.tooltip = new MapTooltip(container, () => this.tagNames);
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
    this.listen(overlayCanvas);
    byTestId('fit').addEventListener('click', () => this.fitToWorld());
    const heat = byTestId<HTMLInputElement>('heat-toggle');
    heat.addEventListener('change', () => this.setHeat(heat.checked));
  }

  /** Takes what the source says about itself: tag names (colours), recorded world bounds, recorded cell size. */
  configure(source: SourceInfo): void {
    const tagKey = source.tags.join('\n');
    if (tagKey !== this.configuredTags) {
      this.configuredTags = tagKey;
      this.tagNames = source.tags;
      configurePalette(source.tags, parseColourOverrides(new URLSearchParams(location.search).get('colors')));
      this.onCameraChange();
    }
    if (source.header !== null && this.bounds.empty && !this.bounds.recorded) {
      this.bounds = new WorldBounds(source.header.attributes);
      this.heatCell = source.header.cellSize;
    }
  }

  setHeat(on: boolean): void {
    this.heat = on ? new HeatLayer(this.heatCell) : undefined;
    byTestId<HTMLInputElement>('heat-toggle').checked = on;
    this.onCameraChange();
  }

  /** Shows the whole world (its recorded bounds, or every position seen so far), and keeps doing so on resize. */
  fitToWorld(): void {
    this.autoFit = true;
    if (this.table !== undefined && !this.height.side) this.bounds.include(this.table);
    this.fitCamera();
  }

  /** Fits the camera to the bounds as they are (in the side view, to the x and z seen). */
  private fitCamera(): void {
    if (this.height.side) {
      if (this.table !== undefined) this.height.fitSide(this.table, this.camera);
      this.fittedScale = this.camera.scale;
      this.onCameraChange();
      return;
    }
    if (this.bounds.empty) return;
    const { minX, minY, maxX, maxY } = this.bounds;
    this.camera.fitRect(minX, minY, maxX, maxY);
    this.fittedScale = this.camera.scale;
    this.onCameraChange();
  }

  /** Draws the table; `marks` colour some entities (view set, highlights, diff) on both layers. */
  draw(scene: MapScene): void {
    const { table } = scene;
    this.table = table;
    const { height } = this;
    if (table.height !== undefined) height.observe(table);
    // The bounds just took this table in: fitting again needs no second pass over it.
    if (this.bounds.include(table) && this.autoFit && !height.side) this.fitCamera();
    if (this.colours.length < table.count) this.colours = new Uint8Array(table.ids.length);
    const colours = this.colours;
    const used = new Uint8Array(PALETTE.length);
    if (height.colouring(table)) height.colour(table, colours, used);
    else {
      for (let i = 0; i < table.count; i++) {
        const c = baseColour((table.flags[i]! & Flag.Watcher) !== 0, table.tagMasks[i]!);
        colours[i] = c;
        used[c] = 1;
      }
    }
    for (const [id, colour] of scene.marks) {
      const slot = table.slots.get(id);
      if (slot !== undefined) colours[slot] = colour;
      if (slot !== undefined) used[colour] = 1;
    }
    if ((scene.ghostsB?.length ?? 0) > 0) used[Colour.DiffB] = 1;
    // 4 px dots unless the map is crowded (there 3 px keeps neighbours apart, and 50,000 squares cheap to fill).
    const size = Math.max(table.count > 20_000 ? 3 : 4, Math.min(8, this.camera.scale * 2));
    const ys = this.ysOf(table);
    this.points.draw(table.xs, ys, colours, table.count, this.camera, size);
    const { camera } = this;
    this.stats = height.side
      ? this.overlay.drawSide({ ...scene, camera, ys, exaggeration: height.exaggeration })
      : this.overlay.draw({ ...scene, camera, bounds: this.bounds, heat: this.heat, grid: this.grid });
    this.coloursInUse = new Set([...used.keys()].filter((c) => used[c] === 1));
    this.legend.update({
      colours: this.coloursInUse,
      tagNames: new Map(this.tagNames.slice(0, TAG_SLOTS).map((name, bit) => [Colour.Tag0 + bit, name])),
      selected: scene.selected !== undefined && table.slots.get(scene.selected) !== undefined,
      path: scene.path && scene.path.ticks.length > 1 && !height.side ? scene.pathColour : undefined,
      lifecycle: scene.selected !== undefined,
      diffB: scene.selectedB !== undefined,
      stats: this.stats,
      recordedBounds: this.bounds.recorded,
      side: height.side,
      height: height.colouring(table) ? { low: height.low, high: height.high } : undefined,
    });
    this.showAoiCount(scene.showAllAoi, this.stats);
  }

  /** Heat count of the cell holding a world point at the last frame (tests). */
  heatCountAt(x: number, y: number): number | null {
    return this.heat === undefined ? null : this.heat.countAt(x, y);
  }

  /** Centres the view on a world point, zooming in if the view is wider than `span` world units. */
  centreOn(x: number, y: number, span?: number): void {
    this.autoFit = false;
    this.camera.centerX = x;
    this.camera.centerY = y;
    if (span !== undefined)
      this.camera.scale = Math.max(this.camera.scale, Math.min(this.camera.width, this.camera.height) / span);
    this.onCameraChange();
  }

  /** The vertical axis drawn: y from above, -z (stretched) from the side. */
  private ysOf(table: EntityTable): Float32Array {
    return this.height.side ? this.height.ysOf(table) : table.ys;
  }

  /** Page coordinates (CSS pixels) of entity `slot` as drawn in the current projection. */
  pageOfSlot(table: EntityTable, slot: number): { x: number; y: number } {
    return this.toPage(table.xs[slot]!, this.ysOf(table)[slot]!);
  }

  /** Switching projection: each keeps its own camera; a first side view fits itself. */
  private projectionChanged(): void {
    const left: Projection = this.height.projection === 'side' ? 'top' : 'side';
    const place = this.height.swapPlace(this.camera, this.autoFit, left);
    this.tooltip.hide();
    if (place === undefined || place.autoFit) {
      this.autoFit = true;
      this.fitCamera();
      return;
    }
    Object.assign(this.camera, { centerX: place.centerX, centerY: place.centerY, scale: place.scale });
    this.autoFit = false;
    this.onCameraChange();
  }

  /** Centres the view on an entity as drawn in the current projection. */
  centreOnSlot(table: EntityTable, slot: number): void {
    this.centreOn(table.xs[slot]!, this.ysOf(table)[slot]!);
  }

  /** Page coordinates (CSS pixels) of a world point. */
  toPage(x: number, y: number): { x: number; y: number } {
    const rect = this.container.getBoundingClientRect();
    return { x: rect.left + this.camera.toScreenX(x), y: rect.top + this.camera.toScreenY(y) };
  }

  /** Says how many AOI circles "all AOI" drew, of how many watchers (never a silent cap). */
  private showAoiCount(on: boolean, stats: OverlayStats): void {
    const out = byTestId('aoi-count');
    const text = !on
      ? ''
      : `${stats.aoiDrawn} of ${stats.aoiWatchers}${stats.aoiCapped ? ' (capped)' : stats.aoiDrawn < stats.aoiWatchers ? ' (rest off screen)' : ''}`;
    if (out.textContent === text) return;
    out.textContent = text;
    out.dataset.drawn = String(stats.aoiDrawn);
    out.dataset.watchers = String(stats.aoiWatchers);
  }

  private resize(): void {
    const rect = this.container.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.camera.width = Math.max(1, rect.width);
    this.camera.height = Math.max(1, rect.height);
    this.points.resize(this.camera.width, this.camera.height, ratio);
    this.overlay.resize(this.camera.width, this.camera.height, ratio);
    // The layout settles after the first data arrives (header, side panel): keep the world fitted until the user moves.
    if (this.autoFit) this.fitToWorld();
    this.onCameraChange();
  }

  /** Pan and zoom stop fitting the world; a click picks what is within 8 px. */
  private listen(target: HTMLCanvasElement): void {
    listenGestures(target, {
      hover: (sx, sy) => this.hover(sx, sy),
      leave: () => this.tooltip.hide(),
      pan: (dx, dy) => {
        this.autoFit = false;
        this.tooltip.hide();
        this.camera.pan(dx, dy);
        this.onCameraChange();
      },
      click: (sx, sy) => {
        const wx = this.camera.toWorldX(sx);
        const wy = this.camera.toWorldY(sy);
        this.onPickAt?.(wx, wy, 8 / this.camera.scale);
      },
      zoom: (sx, sy, factor) => {
        const scale = Math.min(
          this.fittedScale * MAX_ZOOM,
          Math.max(this.fittedScale * MIN_ZOOM, this.camera.scale * factor),
        );
        this.autoFit = false;
        this.camera.zoomAt(sx, sy, scale / this.camera.scale);
        this.onCameraChange();
      },
    });
  }

  /** Tooltip for the entity under the pointer (within 8 px), if any. */
  private hover(sx: number, sy: number): void {
    const table = this.table;
    if (table === undefined) return;
    const slot = table.nearest(
      this.camera.toWorldX(sx),
      this.camera.toWorldY(sy),
      8 / this.camera.scale,
      this.ysOf(table),
    );
    if (slot < 0) this.tooltip.hide();
    else this.tooltip.show(table, slot, sx, sy);
  }

  /** Set by the app: resolves a click at a world point to an entity. */
  onPickAt: ((x: number, y: number, radius: number) => void) | undefined;

  pickIn(table: EntityTable, x: number, y: number, radius: number): void {
    const slot = table.nearest(x, y, radius, this.ysOf(table));
    this.onPick(slot < 0 ? undefined : table.ids[slot]);
  }
}
