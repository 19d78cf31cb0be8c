import type { AnomalyFinding } from '../../src/protocol/api-types.js';
import type { AnomalyPanel } from './anomaly-panel.js';
import { detectorColour } from './detector-colours.js';
import { byTestId, element } from './dom.js';
import type { Playback } from './playback.js';
import { drawRuler } from './ruler.js';
import type { Transport } from './transport.js';

/** Width of one marker bin in pixels: findings closer than this share one marker, drawn taller when denser. */
const BIN_PX = 5;
/** The narrowest zoom: this many ticks across the track. */
const MIN_SPAN = 20;

/**
 * Scrubber, play/pause, speed, a labelled tick ruler with zoom, and the anomaly markers: coloured by detector,
 * binned into density bars where they crowd, filtered like the anomaly list.
 */
export class Timeline {
  /** The ticks the track shows; the whole trace unless zoomed. */
  from = 0;
  to = 0;
  private zoomed = false;
  /** Called with the shown span whenever it is redrawn (the what-if churn chart follows it). */
  onSpan: ((from: number, to: number) => void) | undefined;
  private readonly scrubber = byTestId<HTMLInputElement>('scrubber');
  private readonly play = byTestId<HTMLButtonElement>('play');
  private readonly speed = byTestId<HTMLSelectElement>('speed');
  private readonly markers = byTestId('anomaly-markers');

  constructor(
    private readonly playback: Playback,
    private readonly transport: Transport,
    private readonly panel: AnomalyPanel,
    private readonly onAnomaly: (finding: AnomalyFinding) => void,
  ) {
    this.scrubber.addEventListener('input', () => {
      transport.seek(Number(this.scrubber.value));
      this.update();
    });
    this.play.addEventListener('click', () => {
      transport.togglePlay();
      this.update();
    });
    this.speed.addEventListener('change', () => {
      playback.speed = Number(this.speed.value);
    });
    byTestId('zoom-in').addEventListener('click', () => this.zoom(0.5, playback.tick));
    byTestId('zoom-out').addEventListener('click', () => this.zoom(2, playback.tick));
    byTestId('zoom-all').addEventListener('click', () => this.zoom(Number.POSITIVE_INFINITY, playback.tick));
    const track = byTestId('track');
    track.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = track.getBoundingClientRect();
        const at = this.from + ((event.clientX - rect.left) / Math.max(1, rect.width)) * (this.to - this.from);
        this.zoom(event.deltaY > 0 ? 1.25 : 0.8, at);
      },
      { passive: false },
    );
    panel.onFilter = () => this.placeMarkers();
    new ResizeObserver(() => this.redraw()).observe(track);
  }

  setBounds(first: number, last: number): void {
    byTestId('last-tick').textContent = String(last);
    if (!this.zoomed) {
      this.from = first;
      this.to = last;
    } else {
      this.from = Math.max(first, this.from);
      this.to = Math.min(last, Math.max(this.to, this.from));
    }
    this.redraw();
  }

  /** Scales the shown span by `factor` around tick `at` (Infinity: the whole trace). */
  zoom(factor: number, at: number): void {
    const { first, last } = this.playback;
    const full = Math.max(1, last - first);
    const span = Math.min(full, Math.max(MIN_SPAN, (this.to - this.from) * factor));
    this.zoomed = span < full;
    if (!this.zoomed) {
      this.from = first;
      this.to = last;
    } else {
      const share = this.to > this.from ? (at - this.from) / (this.to - this.from) : 0.5;
      this.from = Math.round(Math.max(first, Math.min(last - span, at - share * span)));
      this.to = Math.round(this.from + span);
    }
    this.redraw();
  }

  markersChanged(): void {
    this.placeMarkers();
  }

  /** Reflects the playhead (called whenever it moves); a zoomed track scrolls to keep it in view. */
  update(): void {
    const tick = this.playback.tick;
    if (this.zoomed && tick >= 0 && (tick < this.from || tick > this.to)) {
      const span = this.to - this.from;
      this.from = Math.max(this.playback.first, Math.min(this.playback.last - span, tick - Math.round(span / 4)));
      this.to = this.from + span;
      this.redraw();
    }
    if (document.activeElement !== this.scrubber) this.scrubber.value = String(tick);
    byTestId('tick').textContent = tick < 0 ? '-' : String(tick);
    this.play.textContent = this.transport.active ? 'Pause' : 'Play';
    this.panel.showTick(tick);
  }

  private redraw(): void {
    this.scrubber.min = String(this.from);
    this.scrubber.max = String(this.to);
    if (this.playback.tick >= 0) this.scrubber.value = String(this.playback.tick);
    byTestId('track').dataset.from = String(this.from);
    byTestId('track').dataset.to = String(this.to);
    drawRuler(byTestId('ruler'), this.from, this.to);
    this.placeMarkers();
    this.onSpan?.(this.from, this.to);
  }

  private placeMarkers(): void {
    const { from, to } = this;
    const span = Math.max(1, to - from);
    const bins = Math.max(1, Math.floor((this.markers.clientWidth || 800) / BIN_PX));
    const byBin = new Map<number, AnomalyFinding[]>();
    for (const finding of this.panel.visible()) {
      if (finding.tick < from || finding.tick > to) continue;
      const bin = Math.min(bins - 1, Math.floor(((finding.tick - from) / span) * bins));
      const list = byBin.get(bin);
      if (list === undefined) byBin.set(bin, [finding]);
      else list.push(finding);
    }
    const densest = Math.max(1, ...[...byBin.values()].map((list) => list.length));
    this.markers.replaceChildren(
      ...[...byBin.values()].map((list) => {
        const first = list[0]!;
        const perDetector = new Map<string, number>();
        for (const f of list) perDetector.set(f.detector, (perDetector.get(f.detector) ?? 0) + 1);
        const [main] = [...perDetector.entries()].sort((a, b) => b[1] - a[1])[0]!;
        // Height by density (log scale), colour by the detector with the most findings in the bin.
        const height = 5 + Math.round((9 * Math.log1p(list.length)) / Math.log1p(densest));
        const last = list[list.length - 1]!;
        const title =
          list.length === 1
            ? `tick ${first.tick} · ${first.detector}: ${first.message}`
            : `${list.length} findings in ticks ${first.tick}–${last.tick}: ` +
              [...perDetector].map(([d, n]) => `${d} ${n}`).join(', ');
        return element(
          'button',
          { title, onclick: () => this.onAnomaly(first) },
          {
            'data-testid': 'anomaly-marker',
            'data-tick': String(first.tick),
            'data-count': String(list.length),
            'data-detector': main,
            style: `left: ${((first.tick - from) / span) * 100}%; height: ${height}px; background: ${detectorColour(main)}`,
          },
        );
      }),
    );
  }
}
