// The designer's figures on the command line: the options that tune them and their text rendering (diff, replay).

import { compareFigures, type FiguresOptions, type TraceFigures } from '@lanes/aoi-trace';
import { intOption, numberOption } from './args.js';

/** Options of every command that prints figures. */
export const FIGURES_OPTIONS = {
  top: { type: 'string' },
  'bytes-enter': { type: 'string' },
  'bytes-leave': { type: 'string' },
  'bytes-move': { type: 'string' },
} as const;

export const FIGURES_HELP = `  --top <n>              watchers listed by churn (default 10)
  --bytes-enter <b>      bytes per enter message (default 18: type 2 + id 4 + x,y float32 8 + state 4)
  --bytes-leave <b>      bytes per leave message (default 6: type 2 + id 4)
  --bytes-move <b>       bytes per position update, one per watcher that sees the mover (default 14)`;

export function figuresOptionsOf(values: Record<string, unknown>): FiguresOptions {
  const text = (key: string) => values[key] as string | undefined;
  const top = intOption(text('top'), 'top');
  const sizes = {
    enter: numberOption(text('bytes-enter'), 'bytes-enter', 0),
    leave: numberOption(text('bytes-leave'), 'bytes-leave', 0),
    move: numberOption(text('bytes-move'), 'bytes-move', 0),
  };
  const messageSizes = Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined));
  return { ...(top === undefined ? {} : { top }), messageSizes };
}

const number = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));
const change = (c: number | null) => (c === null ? '' : `${c >= 0 ? '+' : ''}${(c * 100).toFixed(1)}%`);

/** A text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** Two runs' headline figures side by side, with the change from a to b. */
export function figuresComparisonLines(a: TraceFigures, b: TraceFigures): string[] {
  const rows = compareFigures(a, b).map((row) => [row.figure, number(row.a), number(row.b), change(row.change)]);
  const sizes = a.messageSizes;
  return [
    `figures (bytes: enter ${sizes.enter}, leave ${sizes.leave}, move ${sizes.move}):`,
    ...table(['', 'a', 'b', 'change'], rows).map((l) => `  ${l}`),
    `  most churn in a: ${topLine(a)}`,
    `  most churn in b: ${topLine(b)}`,
  ];
}

const topLine = (f: TraceFigures) =>
  f.topChurn.length === 0 ? '-' : f.topChurn.map((e) => `${e.entity} (${e.churn})`).join(', ');

/** One row of a sweep table: churn, oscillation, view sizes, bytes, and the change from the baseline. */
export function figuresCells(f: TraceFigures, baseline: TraceFigures): string[] {
  const vs = (x: number, y: number) => change(y === 0 ? null : x / y - 1);
  return [
    number(f.churnPerTick.mean),
    vs(f.churnPerTick.mean, baseline.churnPerTick.mean),
    String(f.oscillationFindings),
    `${f.viewSize.p50}/${f.viewSize.p99}`,
    number(f.bytesPerTick.mean),
    vs(f.bytesPerTick.mean, baseline.bytesPerTick.mean),
  ];
}

export const FIGURES_COLUMNS = ['churn/tick', 'vs rec', 'oscillation', 'view p50/p99', 'bytes/tick', 'vs rec'];
