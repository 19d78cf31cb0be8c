import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { stateAt } from './replay.js';
import { expectInvalidArgument } from './test-support/expect-trace-error.js';
import { randomScript, runScript } from './test-support/scenarios.js';
import { SeekableMemoryTrace } from './test-support/seekable-memory-trace.js';

const run = runScript(randomScript(7, { entities: 25, ticks: 40 }));

describe('stateAt', () => {
  it('gives, after every tick, the view sets and positions the engine had', () => {
    for (let tick = 0; tick < 40; tick++) {
      const state = stateAt(run.trace, tick);
      expect(state.tick).toBe(tick);
      expect([...state.entities.keys()].sort((a, b) => a - b)).toEqual(
        [...run.views[tick]!.keys()].sort((a, b) => a - b),
      );
      for (const [id, view] of run.views[tick]!) expect(state.viewOf(id)).toEqual(view);
      for (const [id, at] of run.positions[tick]!) expect(state.entities.get(id)).toMatchObject(at);
    }
  });

  it('uses the seek of a seekable input instead of replaying, with the same result', () => {
    const seekable = new SeekableMemoryTrace(run.trace, 8);
    const state = stateAt(seekable, 37);
    expect(seekable.seeks).toBe(1);
    // Reading the bounds takes one record each; replaying would have read 38.
    expect(seekable.yielded).toBeLessThan(5);
    const replayed = stateAt(run.trace, 37);
    for (const [id, view] of replayed.views) expect(state.viewOf(id)).toEqual([...view].sort((a, b) => a - b));
    expect(state.views.size).toBe(replayed.views.size);
  });

  it('returns a copy: changing it does not change what the next call sees', () => {
    const seekable = new SeekableMemoryTrace(run.trace, 8);
    stateAt(seekable, 16).entities.clear();
    expect(stateAt(seekable, 16).entities.size).toBe(run.views[16]!.size);
  });

  it('answers a tick inside a gap with the last tick before it', () => {
    const gapped = new MemoryTrace(
      run.trace.header,
      run.trace.records.map((r) => ({ ...r, tick: r.tick * 2 })),
    );
    const state = stateAt(gapped, 11);
    expect(state.tick).toBe(10);
    for (const [id, view] of run.views[5]!) expect(state.viewOf(id)).toEqual(view);
  });

  it('rejects ticks outside the trace, naming the range', () => {
    expectInvalidArgument(() => stateAt(run.trace, 40), /tick 40 is outside the trace, which has ticks 0\.\.39/);
    expectInvalidArgument(() => stateAt(run.trace, -1), /tick must be an integer >= 0, got -1/);
    expectInvalidArgument(() => stateAt(run.trace, 1.5), /integer/);
    const late = new MemoryTrace(run.trace.header, run.trace.records.slice(10));
    expectInvalidArgument(() => stateAt(late, 3), /ticks 10\.\.39/);
    expectInvalidArgument(() => stateAt(new MemoryTrace(run.trace.header), 0), /the trace has no ticks/);
  });
});
