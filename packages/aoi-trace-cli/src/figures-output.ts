// The designer's figures on the command line: the options that tune them and their text rendering (diff, replay).

import { compareFigures, type FiguresOptions, type TraceFigures } from '@lanes/aoi-trace';
import { type OptionValues, textTable } from '@lanes/cli-kit';

/** Options of every command that prints figures; their ranges are FiguresStream's rule. */
export const FIGURES_OPTIONS = {
  top: { type: 'integer', value: '<n>', default: '10', description: 'watchers listed by churn' },
  'bytes-enter': {
    type: 'number',
    value: '<b>',
    default: '18',
    description: 'bytes per enter message (type 2 + id 4 + x,y float32 8 + state 4)',
  },
  'bytes-leave': { type: 'number', value: '<b>', default: '6', description: 'bytes per leave message (type 2 + id 4)' },
  'bytes-move': {
    type: 'number',
    value: '<b>',
    default: '14',
    description: 'bytes per position update, one per watcher that sees the mover',
  },
} as const;

export function figuresOptionsOf(values: OptionValues<typeof FIGURES_OPTIONS>): FiguresOptions {
  const sizes = { enter: values['bytes-enter'], leave: values['bytes-leave'], move: values['bytes-move'] };
  const messageSizes = Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined));
  return { ...(values.top === undefined ? {} : { top: values.top }), messageSizes };
}

const number = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));
const change = (c: number | null) => (c === null ? '' : `${c >= 0 ? '+' : ''}${(c * 100).toFixed(1)}%`);

/** A text table: columns padded to their widest cell, the first (names) left-aligned, the numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return textTable(header, rows, (column) => column > 0);
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
