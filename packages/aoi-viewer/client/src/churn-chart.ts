import type { ChurnSeries } from '../../src/protocol/api-types.js';
import { api } from './api.js';
import { byTestId } from './dom.js';

/** Trace A's and trace B's lines (the diff's A and B). */
const COLOURS = { a: '#ff9f0a', b: '#64d2ff' } as const;
/** The server's limit per request (MAX_CHURN_TICKS): a longer span asks to zoom in. */
const MAX_TICKS = 100_000;
/** Requests wait this long for the span to settle (wheel zoom redraws many times). */
const SETTLE_MS = 150;

/**
 * The what-if chart behind the timeline's markers: enters plus leaves per tick of trace A and trace B over the
 * span the timeline shows, so the ticks where one run churns more stand out. Shown when a second trace is open.
 */
export class ChurnChart {
  private readonly canvas = byTestId<HTMLCanvasElement>('churn-chart');
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wanted = '';

  constructor(private readonly onError: (error: Error) => void) {
    this.canvas.hidden = false;
  }

  /** Loads and draws the span (debounced; a newer span wins over an answer still on the way). */
  show(from: number, to: number): void {
    clearTimeout(this.timer);
    this.wanted = `${from}:${to}`;
    this.timer = setTimeout(() => void this.load(from, to).catch(this.onError), SETTLE_MS);
  }

  private async load(from: number, to: number): Promise<void> {
    const key = `${from}:${to}`;
    const canvas = this.canvas;
    if (to - from >= MAX_TICKS) {
      this.draw([]);
      canvas.title = 'churn per tick: zoom in to see it';
      return;
    }
    const bins = Math.max(1, Math.min(2000, Math.floor((canvas.clientWidth || 400) / 2)));
    const series = await Promise.all([api.churn('a', from, to, bins), api.churn('b', from, to, bins)]);
    if (key !== this.wanted) return;
    this.draw(series);
    const [a, b] = series;
    canvas.dataset.from = String(from);
    canvas.dataset.to = String(to);
    canvas.dataset.totalA = String(a.total);
    canvas.dataset.totalB = String(b.total);
    const ticks = to - from + 1;
    canvas.title =
      `churn (enters + leaves) per tick, ticks ${from}–${to}: A ${(a.total / ticks).toFixed(1)} (orange), ` +
      `B ${(b.total / ticks).toFixed(1)} (blue)`;
  }

  private draw(series: readonly ChurnSeries[]): void {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    const context = canvas.getContext('2d');
    if (context === null) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    const highest = Math.max(1, ...series.flatMap((s) => s.perTick));
    series.forEach((s, i) => {
      context.strokeStyle = i === 0 ? COLOURS.a : COLOURS.b;
      context.lineWidth = ratio;
      context.beginPath();
      s.perTick.forEach((value, bin) => {
        const x = ((bin + 0.5) / s.perTick.length) * canvas.width;
        const y = canvas.height - (value / highest) * (canvas.height - ratio);
        if (bin === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      context.stroke();
    });
  }
}
