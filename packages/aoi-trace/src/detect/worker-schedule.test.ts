import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkKind } from '../format/layout.js';
import { writeBytes } from '../format/test-support/recorded-runs.js';
import { chunkSpans } from '../format/test-support/world-view.js';
import { openTraceReader } from '../format/trace-reader.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { TableWorldState } from '../model/table-world-state.js';
import { simulate } from '../simulate/index.js';
import { recordHasHeight } from './cylinder.js';
import { detect, detectTraceFile } from './detect.js';
import { KineticPairs } from './kinetic-pairs.js';
import { resolveDetectOptions } from './options.js';
import type { PairChanges } from './pair-changes.js';
import { recordHeightWorld } from './test-support/height-world.js';
import { WorkerSchedule } from './worker-schedule.js';

// The kinetic schedule on a worker thread (detectTraceFile): it must hand the detectors exactly the pairs the
// schedule on their own thread would, so the report is the same, finding for finding and in the same order.

const dir = mkdtempSync(path.join(tmpdir(), 'aoitrace-worker-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, trace: MemoryTrace, damage = false): string {
  const bytes = writeBytes(trace, { chunkTicks: 5, keyframeInterval: 20 });
  if (damage) {
    // One flipped byte in a ticks chunk in the middle: the reader resumes at the next keyframe (a resync tick).
    const victim = chunkSpans(bytes).find((s) => s.kind === ChunkKind.Ticks && s.firstTick > 30)!;
    bytes[victim.offset + 60]! ^= 0x10;
  }
  const file = path.join(dir, `${name}.aoitrace`);
  writeFileSync(file, bytes);
  return file;
}

function simulated(scenario: 'random-walk' | 'aoitesting-dense', seed: number): MemoryTrace {
  const trace = new MemoryTrace();
  const inject = {
    tornView: { rate: 0.05 },
    delayedBroadcast: { rate: 0.05, ticks: 3 },
    race: { rate: 0.03 },
    oscillation: { rate: 0.05 },
    seed,
  };
  const shape = scenario === 'aoitesting-dense' ? { half: 150, step: 3 } : {};
  simulate({ scenario, entities: 80, ticks: 80, seed, inject, ...shape }, trace);
  return trace;
}

const files = {
  'random walk with every injected bug kind': () => fileOf('walk', simulated('random-walk', 3)),
  'dense crowd with every injected bug kind': () => fileOf('dense', simulated('aoitesting-dense', 5)),
  'a damaged file (the reader resumes at a keyframe)': () => fileOf('damaged', simulated('random-walk', 8), true),
  'a recorded run with height': () => {
    const trace = new MemoryTrace();
    recordHeightWorld({ entities: 40, ticks: 60, seed: 2 }, trace);
    return fileOf('height', trace);
  },
};

/** The pairs of one tick as ids, with the ids their slots name in `world`: what the detectors read. */
function pairsOf(changes: PairChanges): string[] {
  const out: string[] = [];
  for (let i = 0; i < changes.count; i++) {
    const w = changes.watcherSlots[i]!;
    const t = changes.targetSlots[i]!;
    const world = changes.world!;
    const at = (slot: number) => (slot < 0 ? 'none' : `${world.ids[slot]}@${world.xs[slot]},${world.ys[slot]}`);
    out.push(`${changes.watchers[i]}>${changes.targets[i]} ${at(w)} ${at(t)}`);
  }
  return out;
}

describe('the kinetic schedule on a worker thread', () => {
  for (const [name, make] of Object.entries(files)) {
    it(`hands over the same pairs, tick for tick, as the schedule on the detectors' thread: ${name}`, () => {
      const file = make();
      const reader = openTraceReader(file);
      const { tolerance } = resolveDetectOptions({}, reader.header);
      const local = new KineticPairs(tolerance);
      const remote = new WorkerSchedule(file, undefined, tolerance);
      const state = new TableWorldState();
      let handed = 0;
      let partial = 0;
      try {
        let height = false;
        for (const record of reader.ticks()) {
          // As DetectionStream does: cylinders from the first record with height on.
          if (!height && recordHasHeight(record)) {
            height = true;
            local.enableHeight();
            remote.enableHeight();
          }
          state.apply(record);
          const mine = local.update(state, record);
          const full = mine.full;
          const expected = full ? [] : pairsOf(mine);
          const theirs = remote.update(state, record);
          expect(theirs.full).toBe(full);
          expect(full ? [] : pairsOf(theirs)).toEqual(expected);
          handed += expected.length;
          if (!full) partial++;
        }
      } finally {
        remote.close();
        reader.close();
      }
      // Ticks that were not full, with pairs handed over: the comparison compared something.
      expect(partial).toBeGreaterThan(0);
      expect(handed).toBeGreaterThan(0);
    });

    it(`gives detect()'s report, findings in the same order: ${name}`, () => {
      const file = make();
      const options = { maxFindingsPerDetector: 50 };
      const reader = openTraceReader(file);
      try {
        const single = detect(reader, options);
        expect(detectTraceFile(file, options)).toEqual(single);
        const found = Object.values(single.counts).reduce((a, b) => a + b, 0);
        if (!name.includes('height')) expect(found).toBeGreaterThan(0);
      } finally {
        reader.close();
      }
    });
  }

  it("throws the worker's error when the worker cannot read the file, instead of waiting for it", () => {
    const file = files['random walk with every injected bug kind']();
    const reader = openTraceReader(file);
    const missing = path.join(dir, 'not-there.aoitrace');
    const remote = new WorkerSchedule(missing, undefined, resolveDetectOptions({}, reader.header).tolerance);
    try {
      const state = new TableWorldState();
      const [first] = reader.ticks();
      state.apply(first!);
      expect(() => remote.update(state, first!)).toThrow(/not-there/);
    } finally {
      remote.close();
      reader.close();
    }
  });

  it('reads the same tick range as detect() (a seek to the keyframe before --from)', () => {
    const file = files['random walk with every injected bug kind']();
    const reader = openTraceReader(file);
    try {
      const range = { from: 33, to: 61 };
      const single = detect(reader, {}, range);
      expect(single.firstTick).toBe(33);
      expect(detectTraceFile(file, {}, range)).toEqual(single);
      // A range past the end is refused as detect() refuses it, before any worker starts.
      expect(() => detectTraceFile(file, {}, { from: 10_000 })).toThrow(/range/);
    } finally {
      reader.close();
    }
  });
});
