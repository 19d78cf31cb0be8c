import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import type { SimulateOptions } from '../simulate/options.js';
import { simulate } from '../simulate/simulate.js';
import { EventPredictor } from './event-predictor.js';
import { plain, writeBytes } from './test-support/recorded-runs.js';
import { readTraceBytes } from './trace-reader.js';

// The 3.1 writer knows a keyframe's views against the rule without finding the candidates when view = leave
// (rule-views.ts). The bytes must be the finder's: every trace is written with a keyframe every tick or two, once
// as the writer does and once with the shortcut turned off, and read back.

afterEach(() => {
  vi.restoreAllMocks();
});

function run(options: SimulateOptions): MemoryTrace {
  const trace = new MemoryTrace();
  simulate(options, trace);
  return trace;
}

const dense = { scenario: 'aoitesting-dense', entities: 300, ticks: 24, seed: 11 } as const;
const walk = { scenario: 'random-walk', entities: 150, ticks: 30, viewRadius: 40, leaveRadius: 40, seed: 4 } as const;
/** Name, run, whether its watchers' view and leave radii are equal (the rule decides every keyframe view). */
const cases: [string, SimulateOptions, boolean][] = [
  ['dense', dense, true],
  ['dense, torn views', { ...dense, inject: { tornView: { rate: 0.1 } } }, true],
  ['dense, races', { ...dense, inject: { race: { rate: 0.05 } } }, true],
  ['dense, late broadcasts', { ...dense, inject: { delayedBroadcast: { rate: 0.05 } } }, true],
  ['dense, flapping', { ...dense, inject: { oscillation: { rate: 0.05 } } }, true],
  ['walk, view = leave, torn views', { ...walk, inject: { tornView: { rate: 0.2 } } }, true],
  ['walk, hysteresis', { ...walk, leaveRadius: 50 }, false],
  ['floors', { scenario: 'floors', ticks: 20, seed: 2 }, false],
];

describe('3.1 keyframe views the rule decides', () => {
  it.each(cases)('%s: the same bytes as the candidate finder, and they read back', (_, options, decided) => {
    const trace = run(options);
    for (const keyframeInterval of [1, 2]) {
      const shortcut = vi.spyOn(EventPredictor.prototype, 'ruleViews');
      const fast = writeBytes(trace, { format: '3.1', keyframeInterval });
      const used = shortcut.mock.results.filter((r) => r.value !== undefined).length;
      shortcut.mockReturnValue(undefined);
      const slow = writeBytes(trace, { format: '3.1', keyframeInterval });
      shortcut.mockRestore();
      expect(Buffer.from(fast).equals(Buffer.from(slow))).toBe(true);
      // Events are lossless (positions are quantized).
      const events = (records: Iterable<TickRecord>) =>
        [...records].map((r) => (plain(r) as { events: object }).events);
      expect(events(readTraceBytes(fast).ticks())).toEqual(events(trace.ticks()));
      if (decided) expect(used).toBeGreaterThan(0);
      else expect(used).toBe(0);
    }
  });

  it('lists the rule pairs out of view and the views beyond the rule (torn views leave both)', () => {
    const trace = run({ ...dense, inject: { tornView: { rate: 0.2 } } });
    const shortcut = vi.spyOn(EventPredictor.prototype, 'ruleViews');
    writeBytes(trace, { format: '3.1', keyframeInterval: 1 });
    const found = shortcut.mock.results.map((r) => r.value).filter((v) => v !== undefined);
    expect(found.some((v) => v.missing.length > 0)).toBe(true);
    expect(found.some((v) => v.extra.pairs > 0)).toBe(true);
  });
});
