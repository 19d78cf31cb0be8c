import { describe, expect, it } from 'vitest';
import { traceFigures } from '../diff/figures.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { simulate } from '../simulate/simulate.js';
import { EngineReplay } from './engine-replay.js';
import { parseSweep, sweep, sweepCombinations } from './sweep.js';

// A lattice whose pairs sit on the view border: without hysteresis they flap, with it they stay.
const flapping = () => {
  const trace = new MemoryTrace();
  simulate({ scenario: 'border-crowd', entities: 100, ticks: 60, viewRadius: 50, leaveRadius: 50 }, trace);
  return trace;
};

describe('sweep', () => {
  it('parses settings and makes every combination, first one slowest', () => {
    const dimensions = parseSweep(['view-radius=40,60', 'hysteresis=0,0.25', 'algorithm=brute-force']);
    expect(sweepCombinations(dimensions)).toEqual([
      { viewRadius: 40, hysteresis: 0, algorithm: 'brute-force' },
      { viewRadius: 40, hysteresis: 0.25, algorithm: 'brute-force' },
      { viewRadius: 60, hysteresis: 0, algorithm: 'brute-force' },
      { viewRadius: 60, hysteresis: 0.25, algorithm: 'brute-force' },
    ]);
  });

  it('refuses what it cannot run, naming it', () => {
    expect(() => parseSweep(['radius=40'])).toThrow(/"radius=40" is not/);
    expect(() => parseSweep(['view-radius=40,x'])).toThrow(/view-radius: "x" is not a number/);
    expect(() => sweepCombinations(parseSweep(['hysteresis=0', 'leave-radius=70']))).toThrow(/give one/);
    expect(() =>
      sweepCombinations(parseSweep(['skin=1,2,3,4,5,6,7,8,9,10', 'view-radius=1,2,3,4,5,6,7,8,9,10,11'])),
    ).not.toThrow();
    expect(() =>
      sweepCombinations(
        parseSweep([
          'skin=1,2,3,4,5,6,7,8,9,10,11',
          'view-radius=1,2,3,4,5,6,7,8,9,10',
          'cell-size=1,2,3,4,5,6,7,8,9,10',
        ]),
      ),
    ).toThrow(/1100 combinations/);
  });

  it('gives each combination the figures of its replay, and hysteresis cuts the flapping', () => {
    const input = flapping();
    const progress: number[] = [];
    const result = sweep(input, parseSweep(['hysteresis=0,0.25']), {
      onProgress: (p) => progress.push(p.index),
    });
    expect(result.rows.map((row) => row.overrides)).toEqual([{ hysteresis: 0 }, { hysteresis: 0.25 }]);
    // Hysteresis 0 is the recorded setting here: the same figures as the recording's own.
    expect(result.rows[0]!.figures).toEqual(result.recorded);
    expect(result.rows[1]!.figures).toEqual(traceFigures(new EngineReplay(input, { hysteresis: 0.25 })));
    const [none, band] = result.rows.map((row) => row.figures);
    expect(none!.churnPerTick.mean).toBeGreaterThan(0);
    expect(band!.churnPerTick.mean).toBeLessThan(none!.churnPerTick.mean / 2);
    expect(band!.oscillationFindings).toBeLessThan(none!.oscillationFindings);
    expect(progress.filter((i) => i === 1)).toHaveLength(60);
  });

  it('writes a combination only when asked, to the sink it is given', () => {
    const input = flapping();
    const kept = new MemoryTrace();
    sweep(input, parseSweep(['view-radius=40,45']), {
      sinkFor: (_, index) => (index === 1 ? kept : { begin() {}, writeTick() {} }),
    });
    expect(kept.records).toHaveLength(60);
    expect(kept.records[0]!.spawns[0]!.viewRadius).toBe(45);
  });
});
