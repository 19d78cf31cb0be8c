import type { ChurnSeries } from '../protocol/api-types.js';
import type { ViewerDataSource } from './data-source.js';
import { bad } from './params.js';

/** The longest window one churn request may read (every tick of it is decoded). */
export const MAX_CHURN_TICKS = 100_000;
/** The most bins one answer holds (a chart is a few hundred pixels wide). */
export const MAX_CHURN_BINS = 2000;

/** Enters plus leaves per tick over `[from, to]`, averaged into `bins` equal bins: the what-if chart's series. */
export function churnSeries(source: ViewerDataSource, from: number, to: number, bins: number): ChurnSeries {
  if (to < from) throw bad('to', `the window [${from}, ${to}] is empty: 'to' must be >= 'from'.`);
  if (to - from >= MAX_CHURN_TICKS) {
    throw bad('to', `the window [${from}, ${to}] is too long: at most ${MAX_CHURN_TICKS} ticks per churn request.`);
  }
  if (bins < 1 || bins > MAX_CHURN_BINS) throw bad('bins', `bins must be in [1, ${MAX_CHURN_BINS}], got ${bins}.`);
  const count = Math.min(bins, to - from + 1);
  const sums = new Array<number>(count).fill(0);
  const ticks = new Array<number>(count).fill(0);
  let total = 0;
  const span = to - from + 1;
  for (const record of source.ticks(from, to)) {
    const { kinds, count: events } = record.events;
    let churn = 0;
    for (let i = 0; i < events; i++) if (kinds[i]! <= 1) churn++;
    const bin = Math.min(count - 1, Math.floor(((record.tick - from) / span) * count));
    sums[bin]! += churn;
    ticks[bin]!++;
    total += churn;
  }
  return { from, to, total, perTick: sums.map((sum, i) => (ticks[i] === 0 ? 0 : sum / ticks[i]!)) };
}
