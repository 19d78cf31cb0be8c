// Every combination of some settings, replayed, with the designer's figures for each: one table.

import { type FiguresOptions, FiguresStream, type TraceFigures } from '../diff/figures.js';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceInput, TraceSink } from '../model/types.js';
import { EngineReplay, type ReplayRunStats } from './engine-replay.js';
import { checkOverrides, type ReplayOverrides } from './settings.js';

/** The settings a sweep can vary, by the names the CLI uses, and the override each one sets. */
export const SWEEP_KEYS = {
  'view-radius': 'viewRadius',
  'leave-radius': 'leaveRadius',
  hysteresis: 'hysteresis',
  'cell-size': 'cellSize',
  skin: 'skin',
  algorithm: 'algorithm',
} as const satisfies Record<string, keyof ReplayOverrides>;
export type SweepKey = keyof typeof SWEEP_KEYS;

export interface SweepDimension {
  readonly key: SweepKey;
  readonly values: readonly (number | string)[];
}

/** At most this many combinations: each one reads the whole trace again. */
export const MAX_SWEEP_COMBINATIONS = 1000;

/** Names the option its specs come from; the CLI kit prefixes the command. */
const bad = (message: string) => new TraceError(TraceErrorCode.InvalidArgument, `--sweep ${message}`);

/** Parses `view-radius=40,60,80`-style specs (one per dimension). */
export function parseSweep(specs: readonly string[]): SweepDimension[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const match = /^([a-z-]+)=(.+)$/.exec(spec.trim());
    const key = match?.[1] as SweepKey | undefined;
    if (match === null || key === undefined || !(key in SWEEP_KEYS)) {
      throw bad(`"${spec}" is not <setting>=<v1>,<v2>,... with setting one of ${Object.keys(SWEEP_KEYS).join(', ')}.`);
    }
    if (seen.has(key)) throw bad(`${key} is given twice.`);
    seen.add(key);
    const values = match[2]!.split(',').map((text) => {
      if (key === 'algorithm') return text.trim();
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw bad(`${key}: "${text}" is not a number.`);
      return n;
    });
    return { key, values };
  });
}

/** Every combination of the dimensions' values, first dimension slowest; each one checked. */
export function sweepCombinations(dimensions: readonly SweepDimension[]): ReplayOverrides[] {
  const total = dimensions.reduce((n, d) => n * d.values.length, 1);
  if (total > MAX_SWEEP_COMBINATIONS) {
    throw bad(`gives ${total} combinations, more than ${MAX_SWEEP_COMBINATIONS}: sweep fewer values.`);
  }
  let combinations: ReplayOverrides[] = [{}];
  for (const { key, values } of dimensions) {
    combinations = combinations.flatMap((base) => values.map((value) => ({ ...base, [SWEEP_KEYS[key]]: value })));
  }
  for (const overrides of combinations) checkOverrides(overrides);
  return combinations;
}

export interface SweepProgress {
  /** 0-based combination being replayed, of `total`. */
  readonly index: number;
  readonly total: number;
  readonly overrides: ReplayOverrides;
  /** Ticks of this combination done. */
  readonly ticks: number;
}

export interface SweepOptions {
  /** Settings every combination has (a combination's own value wins). */
  readonly base?: ReplayOverrides;
  readonly figures?: FiguresOptions;
  /** A sink for a combination's trace (to keep it); none: it is not written. */
  readonly sinkFor?: (overrides: ReplayOverrides, index: number) => TraceSink & { close?(): void };
  readonly onProgress?: (progress: SweepProgress) => void;
}

export interface SweepRow {
  readonly overrides: ReplayOverrides;
  readonly figures: TraceFigures;
  readonly replay: ReplayRunStats;
}

export interface SweepResult {
  /** The input's own figures, as recorded: the baseline of the table. */
  readonly recorded: TraceFigures;
  readonly rows: SweepRow[];
}

/** Replays `input` under every combination of `dimensions`; each replay streams through the input once. */
export function sweep(
  input: TraceInput,
  dimensions: readonly SweepDimension[],
  options: SweepOptions = {},
): SweepResult {
  const combinations = sweepCombinations(dimensions).map((overrides) => ({ ...options.base, ...overrides }));
  for (const overrides of combinations) checkOverrides(overrides);
  const baseline = new FiguresStream(options.figures);
  baseline.begin(input.header);
  for (const record of input.ticks()) baseline.writeTick(record);
  const rows = combinations.map((overrides, index) => {
    const replay = new EngineReplay(input, overrides);
    const figures = new FiguresStream(options.figures);
    figures.begin(replay.header);
    const sink = options.sinkFor?.(overrides, index);
    sink?.begin(replay.header);
    let ticks = 0;
    try {
      for (const record of replay.ticks()) {
        figures.writeTick(record);
        sink?.writeTick(record);
        options.onProgress?.({ index, total: combinations.length, overrides, ticks: ++ticks });
      }
    } finally {
      sink?.close?.();
    }
    return { overrides, figures: figures.result(), replay: replay.stats };
  });
  return { recorded: baseline.result(), rows };
}
