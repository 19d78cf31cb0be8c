import { describe, expect, it } from 'vitest';
import type { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { mulberry32 } from '../simulate/mulberry32.js';
import { MemoryTarget } from './io.js';
import type { LazyViews } from './lazy-views.js';
import { withEventLists } from './test-support/kinetic-runs.js';
import { recordRun } from './test-support/recorded-runs.js';
import { plainWorld, replayAll } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';
import { TraceWriter } from './trace-writer.js';
import type { TraceWriterOptions } from './writer-options.js';

// A 3.1 seek starts from a keyframe whose view sets are rebuilt from the rule (keyframe-candidates.ts,
// keyframe-views.ts) and hands them to the predictor that replays the ticks after it (segment-decoder.ts). Every
// tick's state must be the one a sequential read builds, on clean engine recordings and on event streams with
// injected bugs, with deviations at every tick, with hysteresis band pairs, in any seek order on one reader. A fresh
// reader's seek hands out the positions of a replay that predicts nothing and rebuilds the view sets on first use.

/** The ticks with bugs injected into their events: dropped, extra, duplicated, delayed and reordered events. */
function injectBugs(records: readonly TickRecord[], seed: number): TickRecord[] {
  const rnd = mulberry32(seed);
  const lists = records.map((r) => {
    const list: [number, number, number][] = [];
    for (let i = 0; i < r.events.count; i++)
      list.push([r.events.kinds[i]!, r.events.watchers[i]!, r.events.targets[i]!]);
    return list;
  });
  for (let i = 1; i < lists.length; i++) {
    const list = lists[i]!;
    const roll = rnd();
    if (list.length > 0 && roll < 0.2) list.splice(Math.floor(rnd() * list.length), 1);
    else if (roll < 0.35) list.push([Math.floor(rnd() * 2), 1 + Math.floor(rnd() * 20), 1 + Math.floor(rnd() * 20)]);
    else if (list.length > 0 && roll < 0.45) list.push(list[Math.floor(rnd() * list.length)]!);
    else if (list.length > 0 && roll < 0.55) lists[Math.min(lists.length - 1, i + 2)]!.push(list.shift()!);
    else if (roll < 0.65) list.reverse();
  }
  return withEventLists(records, lists);
}

function expectEverySeek(
  trace: MemoryTrace,
  records: readonly TickRecord[],
  options: TraceWriterOptions,
  format: '3.0' | '3.1' = '3.1',
): { deferred: number; seeks: number } {
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, { ...options, format });
  writer.begin(trace.header);
  for (const record of records) writer.writeTick(record);
  writer.close();
  const bytes = target.bytes();
  const reader = readTraceBytes(bytes, { strict: true });
  expect([reader.formatMajor, reader.formatMinor]).toEqual([3, format === '3.1' ? 1 : 0]);
  expect(reader.stats().keyframes).toBeGreaterThan(3);
  const sequential = [...reader.ticks()];
  const expected = replayAll(sequential);
  // The sequential read is the records' own world (the 3.1 reading is lossless).
  expect(expected).toEqual(replayAll(records));
  const ticks = [...expected.keys()];
  const rnd = mulberry32(ticks.length);
  const order = ticks.map((t) => [rnd(), t] as const).sort((a, b) => a[0] - b[0]);
  for (const [, tick] of order) expect(plainWorld(reader.stateAt(tick)), `tick ${tick}`).toEqual(expected.get(tick));
  // Positions first (state-at.ts): the entities of a replay that predicts nothing, the view sets rebuilt when first
  // asked for, also after other seeks of the same reader; or, past a tick that stores its event order, a full replay.
  const lazy = readTraceBytes(bytes, { strict: true });
  const states = order.map(([, tick]) => [tick, lazy.stateAt(tick)] as const);
  const deferred = states.filter(([, state]) => (state.views as LazyViews).deferred).length;
  for (const [tick, state] of states.reverse()) expect(plainWorld(state), `tick ${tick}`).toEqual(expected.get(tick));
  // Forward, as the viewer plays: each seek goes on from the last one's replay (the reader's seek cursor). The
  // states handed out must not change as the replay goes on.
  const forward = ticks.map((tick) => [tick, reader.stateAt(tick)] as const);
  for (const [tick, state] of forward) expect(plainWorld(state), `tick ${tick}`).toEqual(expected.get(tick));
  // Back and forth in steps of a few ticks.
  for (let i = 0; i + 3 < ticks.length; i += 5) {
    for (const tick of [ticks[i + 3]!, ticks[i]!, ticks[i + 1]!, ticks[i + 1]!]) {
      expect(plainWorld(reader.stateAt(tick)), `tick ${tick}`).toEqual(expected.get(tick));
    }
  }
  return { deferred, seeks: states.length };
}

/** Deviations at every tick: each tick after the first loses its first event and gains an enter it never had. */
function deviateEveryTick(records: readonly TickRecord[]): TickRecord[] {
  const lists = records.map((r, i) => {
    const list: [number, number, number][] = [];
    for (let k = 0; k < r.events.count; k++)
      list.push([r.events.kinds[k]!, r.events.watchers[k]!, r.events.targets[k]!]);
    if (i > 0) {
      list.shift();
      list.push([0, 1 + (i % 17), 2 + ((i * 7) % 19)]);
    }
    return list;
  });
  return withEventLists(records, lists);
}

describe('3.1 seeks', () => {
  const trace = recordRun({ ticks: 90, entities: 50, seed: 11 });
  const records = [...trace.ticks()];

  it('hold hysteresis band pairs (the run has leave > view watchers in the band)', () => {
    const spawns = records.flatMap((r) => r.spawns);
    expect(spawns.some((s) => s.leaveRadius > s.viewRadius)).toBe(true);
    expect(spawns.some((s) => s.leaveRadius === s.viewRadius)).toBe(true);
  });

  it('give every tick the state of a sequential read, clean, in any order', () => {
    for (const options of [{ keyframeInterval: 7, chunkTicks: 3 }, { keyframeInterval: 20 }]) {
      const { deferred, seeks } = expectEverySeek(trace, records, options);
      // No tick stores an order: every seek of a fresh reader handed out positions first.
      expect(deferred).toBe(seeks);
    }
  });

  it('give every tick the state of a sequential read with deviations at every tick', () => {
    const { deferred } = expectEverySeek(trace, deviateEveryTick(records), { keyframeInterval: 6, chunkTicks: 4 });
    expect(deferred).toBeGreaterThan(0);
  });

  it('give every tick the state of a sequential read in format 3.0 (the same seek path)', () => {
    const { deferred } = expectEverySeek(trace, injectBugs(records, 4), { keyframeInterval: 6, chunkTicks: 3 }, '3.0');
    expect(deferred).toBeGreaterThan(0);
  });

  it('give every tick the state of a sequential read with injected bugs', () => {
    for (const seed of [1, 2, 3]) {
      const buggy = injectBugs(records, seed);
      expect(buggy.map((r) => r.events.count)).not.toEqual(records.map((r) => r.events.count));
      const { deferred, seeks } = expectEverySeek(trace, buggy, { keyframeInterval: 5, chunkTicks: 2 });
      // Reversed ticks store their order: the seeks past one replay with the prediction at once.
      expect(deferred).toBeGreaterThan(0);
      expect(deferred).toBeLessThan(seeks);
    }
  });
});
