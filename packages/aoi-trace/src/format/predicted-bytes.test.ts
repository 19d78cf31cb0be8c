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

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('format 3.0 bytes', () => {
  it('are those the full predictor wrote (golden digests)', () => {
    const now: Record<string, string> = {};
    for (const [name, trace] of traces()) {
      now[name] = digest(writeBytes(trace, { format: '3.0' }));
      now[`${name} small chunks`] = digest(writeBytes(trace, { format: '3.0', keyframeInterval: 7, chunkTicks: 3 }));
    }
    if (update) writeFileSync(golden, `${JSON.stringify(now, null, 2)}\n`);
    expect(now).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });
});
