import { MemoryTrace, simulate, TraceError } from '@lanes/aoi-trace';
import { describe, expect, it } from 'vitest';
import { churnSeries, MAX_CHURN_TICKS } from './churn.js';
import { FileDataSource } from './file-data-source.js';

const source = () => {
  const trace = new MemoryTrace();
  simulate({ scenario: 'border-crowd', entities: 36, ticks: 10, viewRadius: 50, leaveRadius: 50 }, trace);
  return { trace, source: new FileDataSource(trace) };
};

describe('churn series', () => {
  it('averages enters plus leaves per tick into equal bins', () => {
    const { trace, source: data } = source();
    const perTick = trace.records.map(
      (r) => Array.from(r.events.kinds.subarray(0, r.events.count)).filter((k) => k <= 1).length,
    );
    const series = churnSeries(data, 0, 9, 5);
    expect(series.total).toBe(perTick.reduce((a, b) => a + b, 0));
    expect(series.perTick).toEqual([0, 2, 4, 6, 8].map((i) => (perTick[i]! + perTick[i + 1]!) / 2));
    expect(churnSeries(data, 2, 4, 100).perTick).toEqual(perTick.slice(2, 5));
  });

  it('refuses a window or bin count beyond its bounds, naming the parameter', () => {
    const { source: data } = source();
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof TraceError ? error.message : String(error);
      }
      return 'no error';
    };
    expect(refusal(() => churnSeries(data, 0, MAX_CHURN_TICKS, 10))).toMatch(/too long: at most 100000/);
    expect(refusal(() => churnSeries(data, 5, 4, 10))).toMatch(/is empty/);
    expect(refusal(() => churnSeries(data, 0, 9, 0))).toMatch(/bins/);
  });
});
