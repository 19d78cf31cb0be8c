import type {
  AnomalyFinding,
  DiffResult,
  EntityDetail,
  PathResult,
  SourceInfo,
  ViewerInfo,
} from '../../src/protocol/api-types.js';
import { AnomalyPanel } from './anomaly-panel.js';
import { api } from './api.js';
import { ChurnChart } from './churn-chart.js';
import { renderDiff, setUpDiff } from './diff-controls.js';
import { type DiffGhosts, diffGhosts } from './diff-layer.js';
import { byTestId } from './dom.js';
import { renderEntityPanel } from './entity-panel.js';
import { setUpKeyboard } from './keyboard.js';
import { mapMarks } from './map-marks.js';
import { MapView } from './map-view.js';
import { Playback } from './playback.js';
import { Refresher } from './refresher.js';
import { type SearchBox, setUpSearch } from './search-box.js';
import { Timeline } from './timeline.js';
import { Transport } from './transport.js';
import { showWaiting } from './waiting.js';

const DETAIL_WINDOW = 500;
const PATH_WINDOW = 200;

/** The page: one playback of source A, the map, the timeline, and the panels that follow the selection. */
export class App {
  readonly playback = new Playback('a');
  readonly map: MapView;
  readonly timeline: Timeline;
  readonly transport: Transport;
  readonly anomalies: AnomalyPanel;
  private readonly search: SearchBox;
  selected: number | undefined;
  detail: EntityDetail | undefined;
  path: PathResult | undefined;
  diff: DiffResult | undefined;
  diffOn = false;
  highlights = new Set<number>();
  /** The entities of the anomaly jumped to: drawn in their own colour, over the view set's. */
  anomalyIds = new Set<number>();
  /** Side B of the diff: where B has the entities seen only there, and the selected entity's radii in B. */
  diffB: DiffGhosts | undefined;
  /** Animation frames that drew something (the bench reads this). */
  drawnFrames = 0;
  /** The tick, entity count and `performance.now()` of the last drawn frame (the bench's time to first frame). */
  lastDrawn = { tick: -1, entities: 0, at: 0 };
  private dirty = true;
  private info: ViewerInfo;
  private readonly detailRefresh: Refresher;
  private readonly pathRefresh: Refresher;
  private readonly diffRefresh: Refresher;
  private lastFrame = performance.now();

  constructor(info: ViewerInfo, renderer: string | null) {
    this.info = info;
    const fail = (error: Error) => this.status(`error: ${error.message}`);
    this.map = new MapView(byTestId('map'), byTestId('map-points'), byTestId('map-overlay'), renderer);
    this.map.onCameraChange = () => this.invalidate();
    this.map.onPickAt = (x, y, r) => this.map.pickIn(this.playback.table, x, y, r);
    this.map.onPick = (id) => this.select(id);
    this.transport = new Transport(this.playback, info.sources[0]!.kind === 'live');
    this.anomalies = new AnomalyPanel((finding) => this.jumpTo(finding));
    this.timeline = new Timeline(this.playback, this.transport, this.anomalies, (finding) => this.jumpTo(finding));
    if (info.sources.some((s) => s.id === 'b')) {
      const chart = new ChurnChart(fail);
      this.timeline.onSpan = (from, to) => chart.show(from, to);
    }
    this.playback.onChange = () => this.onTick();
    this.playback.onError = fail;
    this.detailRefresh = new Refresher(() => this.loadDetail(), fail);
    this.pathRefresh = new Refresher(() => this.loadPath(), fail);
    this.diffRefresh = new Refresher(() => this.loadDiff(), fail);
    this.search = setUpSearch(
      async (query) => {
        const result = await api.search('a', query, this.playback.tick);
        this.highlights = new Set(result.matches.map((m) => m.id));
        this.invalidate();
        return result;
      },
      (id) => this.select(id, true),
      () => {
        this.highlights = new Set();
        this.invalidate();
      },
    );
    setUpKeyboard({
      togglePlay: () => this.transport.togglePlay(),
      step: (delta) => this.transport.step(delta),
      home: () => this.transport.seek(this.playback.first),
      end: () => (this.transport.live ? this.transport.follow() : this.transport.seek(this.playback.last)),
      deselect: () => {
        this.highlights = new Set();
        this.anomalyIds = new Set();
        this.select(undefined);
      },
      focusSearch: () => this.search.focus(),
      fit: () => this.map.fitToWorld(),
    });
    setUpDiff(this.sourceB() !== undefined, this.playback, (on) => {
      this.diffOn = on;
      this.diff = undefined;
      if (on) this.diffRefresh.poke();
      this.invalidate();
    });
    byTestId('path-color').addEventListener('change', () => this.invalidate());
    byTestId('show-all-aoi').addEventListener('change', () => this.invalidate());
    this.applyInfo(info);
    const a = this.sourceA();
    byTestId('source-name').textContent = a.name;
    this.start();
    void api.anomalies('a').then((findings) => this.setAnomalies(findings), fail);
    // A live stream grows; a file's anomalies may still arrive from detectors running behind the viewer.
    setInterval(() => void this.poll(), a.kind === 'live' ? 500 : 2000);
    requestAnimationFrame((now) => this.frame(now));
  }

  select(id: number | undefined, centre = false): void {
    this.selected = id;
    this.detail = undefined;
    this.path = undefined;
    if (id !== undefined) {
      this.detailRefresh.poke();
      this.pathRefresh.poke();
      if (this.diffOn) this.diffRefresh.poke();
      const slot = this.playback.table.slots.get(id);
      if (centre && slot !== undefined) this.map.centreOnSlot(this.playback.table, slot);
    }
    renderEntityPanel(undefined, id, this.playback.tick);
    this.search.syncSelection(id);
    this.invalidate();
  }

  jumpTo(finding: AnomalyFinding): void {
    byTestId('anomaly-detail').textContent = `tick ${finding.tick} · ${finding.detector}: ${finding.message}`;
    this.transport.seek(finding.tick);
    this.select(finding.entities[0]);
    this.highlights = new Set(finding.entities);
    this.anomalyIds = new Set(finding.entities);
  }

  invalidate(): void {
    this.dirty = true;
  }

  private frame(now: number): void {
    const dt = Math.min(0.25, (now - this.lastFrame) / 1000);
    this.lastFrame = now;
    this.playback.step(dt);
    if (this.dirty) {
      this.dirty = false;
      this.map.draw({
        table: this.playback.table,
        selected: this.selected,
        marks: mapMarks(this),
        path: this.path,
        pathColour: byTestId<HTMLSelectElement>('path-color').value === 'speed' ? 'speed' : 'time',
        showAllAoi: byTestId<HTMLInputElement>('show-all-aoi').checked,
        ghostsB: this.diffOn ? this.diffB?.ghosts : undefined,
        selectedB: this.diffOn ? this.diffB?.selected : undefined,
      });
      this.drawnFrames++;
      this.lastDrawn = { tick: this.playback.tick, entities: this.playback.table.count, at: performance.now() };
    }
    requestAnimationFrame((next) => this.frame(next));
  }

  private onTick(): void {
    this.timeline.update();
    byTestId('entity-count').textContent = String(this.playback.table.count);
    this.status(this.transport.following ? 'live' : this.playback.playing ? 'playing' : 'ready');
    if (this.selected !== undefined) {
      this.detailRefresh.poke();
      const path = this.path;
      const t = this.playback.tick;
      if (
        path === undefined ||
        t < (path.ticks[0] ?? t) + PATH_WINDOW / 2 ||
        t > (path.ticks.at(-1) ?? t) - PATH_WINDOW / 2
      ) {
        this.pathRefresh.poke();
      }
    }
    if (this.diffOn) this.diffRefresh.poke();
    this.invalidate();
  }

  private async loadDetail(): Promise<void> {
    const id = this.selected;
    const tick = this.playback.tick;
    if (id === undefined || tick < 0) return;
    const { first, last } = this.playback;
    const detail = await api.entity(
      'a',
      id,
      tick,
      Math.max(first, tick - DETAIL_WINDOW),
      Math.min(last, tick + DETAIL_WINDOW),
    );
    if (this.selected !== id) return;
    this.detail = detail;
    renderEntityPanel(detail, id, this.playback.tick);
    this.invalidate();
  }

  private async loadPath(): Promise<void> {
    const id = this.selected;
    const tick = this.playback.tick;
    if (id === undefined || tick < 0) return;
    const { first, last } = this.playback;
    const path = await api.path('a', id, Math.max(first, tick - PATH_WINDOW), Math.min(last, tick + PATH_WINDOW));
    if (this.selected === id) this.path = path;
    this.invalidate();
  }

  private async loadDiff(): Promise<void> {
    if (!this.diffOn) return;
    const tick = this.playback.tick;
    const against = byTestId<HTMLSelectElement>('diff-against').value;
    const tickInput = byTestId<HTMLInputElement>('diff-tick');
    const otherSource = against === 'trace' ? 'b' : 'a';
    // Against trace B the same moment is compared; against this trace, the tick typed in.
    const otherTick = against === 'trace' || tickInput.value === '' ? tick : Number(tickInput.value);
    const diff = await api.diff('a', tick, otherSource, otherTick, this.selected);
    const ghosts = await diffGhosts(diff, this.selected);
    if (!this.diffOn) return;
    this.diff = diff;
    this.diffB = ghosts;
    renderDiff(diff);
    this.invalidate();
  }

  private async poll(): Promise<void> {
    const info = await api.info();
    const before = this.sourceA();
    this.info = info;
    this.applyInfo(info);
    if (this.playback.tick < 0) this.start();
    else this.transport.onBounds();
    const a = this.sourceA();
    if (a.anomalyCount !== before.anomalyCount) this.setAnomalies(await api.anomalies('a'));
    else this.anomalies.setStatus(a.detection);
  }

  /** The first data: a recording opens at its first tick, a live stream at its newest; until then, say so. */
  private start(): void {
    const a = this.sourceA();
    const waiting = a.first === null || a.last === null;
    if (a.kind === 'live') showWaiting(waiting, this.info.ingest);
    if (waiting) {
      this.status(a.kind === 'live' ? 'waiting for data' : 'empty trace');
      return;
    }
    if (a.kind === 'live') this.transport.follow();
    else this.playback.seek(a.first!);
  }

  private setAnomalies(findings: readonly AnomalyFinding[]): void {
    this.anomalies.set(findings, this.sourceA().detection);
    this.timeline.markersChanged();
  }

  private applyInfo(info: ViewerInfo): void {
    const a = info.sources[0]!;
    this.map.configure(a);
    if (a.first !== null && a.last !== null) {
      this.playback.setBounds(a.first, a.last);
      this.timeline.setBounds(a.first, a.last);
    }
  }

  private sourceA(): SourceInfo {
    return this.info.sources[0]!;
  }

  private sourceB(): SourceInfo | undefined {
    return this.info.sources.find((s) => s.id === 'b');
  }

  private status(text: string): void {
    byTestId('status').textContent = text;
  }
}
