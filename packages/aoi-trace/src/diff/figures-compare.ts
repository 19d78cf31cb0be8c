import type { TraceFigures } from './figures.js';

/** One headline figure of two runs side by side. */
export interface FigureComparison {
  /** Stable key, e.g. `churnPerTick.mean`. */
  readonly figure: string;
  readonly a: number;
  readonly b: number;
  /** b / a - 1 (0.08 is 8% more in b); null when a is 0. */
  readonly change: number | null;
}

/** The headline figures, in the order a table lists them: key and how to read it from {@link TraceFigures}. */
export const HEADLINE_FIGURES: readonly { readonly figure: string; readonly of: (f: TraceFigures) => number }[] = [
  { figure: 'churnPerTick.mean', of: (f) => f.churnPerTick.mean },
  { figure: 'churnPerTick.p99', of: (f) => f.churnPerTick.p99 },
  { figure: 'oscillationFindings', of: (f) => f.oscillationFindings },
  { figure: 'viewSize.p50', of: (f) => f.viewSize.p50 },
  { figure: 'viewSize.p99', of: (f) => f.viewSize.p99 },
  { figure: 'bytesPerTick.mean', of: (f) => f.bytesPerTick.mean },
  { figure: 'bytesPerTick.p99', of: (f) => f.bytesPerTick.p99 },
];

/** The headline figures of two runs and how much b differs from a. */
export function compareFigures(a: TraceFigures, b: TraceFigures): FigureComparison[] {
  return HEADLINE_FIGURES.map(({ figure, of }) => {
    const [va, vb] = [of(a), of(b)];
    return { figure, a: va, b: vb, change: va === 0 ? null : vb / va - 1 };
  });
}
