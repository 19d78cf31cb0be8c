import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { simulate } from '../simulate/index.js';
import { DetectionStream, detect } from './detect.js';
import { sortFindings } from './types.js';

describe('DetectionStream', () => {
  it('fed live by simulate, ends with the same report as detect over the recorded trace', () => {
    const options = { scenario: 'random-walk' as const, entities: 80, ticks: 120, inject: { tornView: { rate: 0.1 } } };
    const trace = new MemoryTrace();
    simulate(options, trace);
    // Fed straight from the recorder, which reuses its columns after each tick.
    const live = new DetectionStream();
    simulate(options, live);
    // The same report; the stream lists its findings in the order found, detect() sorted (sortFindings).
    const report = live.finish();
    expect({ ...report, findings: sortFindings(report.findings) }).toEqual(detect(trace));
    expect(live.report().counts['torn-view']).toBeGreaterThan(0);
  });

  it('reports findings while the trace is still being written, and refuses ticks after finish', () => {
    const trace = new MemoryTrace();
    simulate({ scenario: 'random-walk', entities: 80, ticks: 120, inject: { tornView: { rate: 0.1 } } }, trace);
    const stream = new DetectionStream({ detectors: ['torn-view'] });
    stream.begin(trace.header);
    const half = trace.records.length / 2;
    for (const record of trace.records.slice(0, half)) stream.writeTick(record);
    const midway = stream.report();
    expect(midway.lastTick).toBe(trace.records[half - 1]!.tick);
    expect(midway.counts['torn-view']).toBeGreaterThan(0);
    for (const record of trace.records.slice(half)) stream.writeTick(record);
    expect(stream.finish().counts['torn-view']).toBeGreaterThanOrEqual(midway.counts['torn-view']);
    expect(() => stream.writeTick(trace.records[0]!)).toThrow(/after finish/);
  });
});
