import { element } from './dom.js';

/** Labelled ticks at least this many pixels apart. */
const MIN_LABEL_GAP_PX = 70;

/** The step of a tick ruler over `span` ticks in `width` pixels: 1, 2 or 5 times a power of ten. */
export function rulerStep(span: number, width: number): number {
  const wanted = (Math.max(1, span) * MIN_LABEL_GAP_PX) / Math.max(1, width);
  const power = 10 ** Math.floor(Math.log10(Math.max(1, wanted)));
  for (const factor of [1, 2, 5, 10]) if (power * factor >= wanted) return power * factor;
  return power * 10;
}

/** Draws the labelled ticks of `[from, to]` into `host` (positions in percent of its width). */
export function drawRuler(host: HTMLElement, from: number, to: number): void {
  const span = Math.max(1, to - from);
  const step = rulerStep(span, host.clientWidth || 800);
  const labels: HTMLElement[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    labels.push(
      element(
        'span',
        { textContent: String(t) },
        { 'data-testid': 'ruler-label', 'data-tick': String(t), style: `left: ${((t - from) / span) * 100}%` },
      ),
    );
  }
  host.replaceChildren(...labels);
}
