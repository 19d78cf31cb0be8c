import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { simulate } from '../simulate/simulate.js';
import { driftRun, recordDrift } from './test-support/kinetic-runs.js';
import { writeBytes } from './test-support/recorded-runs.js';

// The 3.0 files these traces write, as SHA-256 digests recorded with the full (per-tick grid) predictor before the
// incremental one replaced it: the incremental predictor must predict the same events, so every byte stays the
// same. Regenerate only for a deliberate format change: `UPDATE_GOLDEN=1 npx vitest run <this file>`.

const golden = new URL('./test-support/predicted-bytes.golden.json', import.meta.url);
const golden31 = new URL('./test-support/predicted-bytes-31.golden.json', import.meta.url);
const update = process.env.UPDATE_GOLDEN === '1';

function traces(): [string, MemoryTrace][] {
  const walk = new MemoryTrace();
  simulate(
    { scenario: 'random-walk', entities: 300, ticks: 60, viewRadius: 20, leaveRadius: 25, step: 3, seed: 5 },
    walk,
  );
  const out: [string, MemoryTrace][] = [['random-walk', walk]];
  fc.sample(driftRun, { seed: 19, numRuns: 24 }).forEach((run, i) => {
    out.push([`drift-${i}`, recordDrift({ ...run, ticks: run.ticks + 20 })]);
  });
  return out;
}

/**
 * Format 3.1's traces: the 3.0 ones, plus view = leave maps (whose keyframes the rule predicts whole) written clean,
 * with deviations (torn views, races) and with despawns and respawns, each with many keyframes.
 */
function traces31(): [string, MemoryTrace][] {
  const out = traces();
  const run = (name: string, options: Parameters<typeof simulate>[0]) => {
    const trace = new MemoryTrace();
    simulate(options, trace);
    out.push([name, trace]);
  };
  const dense = { scenario: 'aoitesting-dense', entities: 400, ticks: 40, seed: 7 } as const;
  run('dense', dense);
  run('dense torn', { ...dense, inject: { tornView: { rate: 0.05 } } });
  run('dense race', { ...dense, inject: { race: { rate: 0.02 } } });
  run('walk view = leave', {
    scenario: 'random-walk',
    entities: 300,
    ticks: 60,
    viewRadius: 20,
    leaveRadius: 20,
    step: 3,
    seed: 9,
  });
  run('floors', { scenario: 'floors', ticks: 40, seed: 3 });
  return out;
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Every trace's file in `format`, default and in small chunks, against the digests in `file`. With `background` (a
 * worker thread started per file) only the small chunks, whose many chunk and keyframe boundaries cross the thread.
 */
function expectGolden(file: URL, format: '3.0' | '3.1', list: [string, MemoryTrace][], background = false): void {
  const now: Record<string, string> = {};
  for (const [name, trace] of list) {
    if (!background) now[name] = digest(writeBytes(trace, { format }));
    now[`${name} small chunks`] = digest(
      writeBytes(trace, { format, keyframeInterval: 7, chunkTicks: 3, background, backgroundTicks: 2 }),
    );
  }
  if (update && !background) writeFileSync(file, `${JSON.stringify(now, null, 2)}\n`);
  const recorded: Record<string, string> = JSON.parse(readFileSync(file, 'utf8'));
  expect(now).toEqual(background ? pick(recorded, Object.keys(now)) : recorded);
}

const pick = (digests: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.map((key) => [key, digests[key]]));

describe('format 3.0 bytes', () => {
  it('are those the full predictor wrote (golden digests)', () => {
    expectGolden(golden, '3.0', traces());
  });

  it('are the same with background: true (the writer on a worker thread)', { timeout: 120_000 }, () => {
    expectGolden(golden, '3.0', traces(), true);
  });
});

// The 3.1 files, recorded before the writer's shortcuts (issue 19 §4, writer rate): they must not change a byte.
describe('format 3.1 bytes', () => {
  it('are those the writer wrote before its shortcuts (golden digests)', () => {
    expectGolden(golden31, '3.1', traces31());
  });

  // The whole writer on a worker thread (threaded-writer.ts): the same files, byte for byte.
  it('are the same with background: true (the writer on a worker thread)', { timeout: 120_000 }, () => {
    expectGolden(golden31, '3.1', traces31(), true);
  });
});
