// The live source's detectors and the entity query's event window, against independent answers.
import { DetectionStream, MemoryTrace, simulate } from '@lanes/aoi-trace';
import { describe, expect, it } from 'vitest';
import { FileDataSource } from './file-data-source.js';
import { LiveDataSource } from './live-data-source.js';
import { entityDetail, search } from './queries.js';

function buggyTrace(ticks = 80): MemoryTrace {
  const trace = new MemoryTrace();
  simulate({ scenario: 'random-walk', entities: 60, ticks, inject: { tornView: { rate: 0.02 } } }, trace);
  return trace;
}

describe('LiveDataSource detectors', () => {
  it('finds, tick by tick, what a DetectionStream over the same records finds, and reports the exact counts', () => {
    const trace = buggyTrace();
    const live = new LiveDataSource({ detect: { maxFindingsPerDetector: 2 } });
    live.begin(trace.header);
    const seen: number[] = [];
    for (const record of trace.records) {
      live.push(record);
      seen.push(live.anomalies().length);
    }
    const reference = new DetectionStream({ maxFindingsPerDetector: 2 });
    reference.begin(trace.header);
    for (const record of trace.records) reference.writeTick(record);
    const report = reference.report();
    // Findings appeared as the ticks came in, not all at once at the end.
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(report.findings.length);
    expect(new Set(seen).size).toBeGreaterThan(2);
    const key = (f: { detector: string; tick: number; entities: readonly number[] }) =>
      `${f.detector}@${f.tick}:${f.entities.join(',')}`;
    expect(live.anomalies().map(key).sort()).toEqual(report.findings.map(key).sort());
    const detection = live.detection();
    expect(detection.state).toBe('running');
    expect(detection.counts).toEqual(report.counts);
    // The cap kept fewer than were found: the counts say so.
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(live.anomalies().length);
  });

  it('gives the page the world bounds it was told, unless the producer recorded its own', () => {
    const trace = buggyTrace(3);
    const told = new LiveDataSource({ worldBounds: [-10, -20, 30, 40] });
    told.begin(trace.header);
    expect(told.header()?.attributes['world.bounds']).toBe('-10,-20,30,40');
    expect(told.header()?.attributes.scenario).toBe('random-walk');
    const recorded = new LiveDataSource({ worldBounds: [-10, -20, 30, 40] });
    recorded.begin({ ...trace.header, attributes: { 'world.bounds': '0,0,5,5' } });
    expect(recorded.header()?.attributes['world.bounds']).toBe('0,0,5,5');
  });

  it('runs no detectors with detect: false', () => {
    const trace = buggyTrace(40);
    const live = new LiveDataSource({ detect: false });
    live.begin(trace.header);
    for (const record of trace.records) live.push(record);
    expect(live.anomalies()).toHaveLength(0);
    expect(live.detection()).toEqual({ state: 'off', counts: {} });
  });
});

describe('entity detail events', () => {
  it('keeps the events around the asked tick, contiguous, when the window holds more than it returns', () => {
    const trace = new MemoryTrace();
    simulate({ scenario: 'random-walk', entities: 200, ticks: 400, half: 150 }, trace);
    const source = new FileDataSource(trace);
    const all = new Map<number, { tick: number }[]>();
    for (const record of trace.records) {
      for (let i = 0; i < record.events.count; i++) {
        for (const id of [record.events.watchers[i]!, record.events.targets[i]!]) {
          if (!all.has(id)) all.set(id, []);
          all.get(id)!.push({ tick: record.tick });
        }
      }
    }
    const [id, events] = [...all].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(events.length).toBeGreaterThan(500);
    const tick = events[Math.floor(events.length / 2)]!.tick;
    const detail = entityDetail(source, source.stateAt(tick), id, 0, 399);
    expect(detail.truncated).toBe(true);
    expect(detail.events.length).toBe(500);
    const ticks = detail.events.map((e) => e.tick);
    // The latest 250 before the asked tick and the first 250 from it on: a contiguous run around it.
    const before = events.filter((e) => e.tick < tick).map((e) => e.tick);
    const after = events.filter((e) => e.tick >= tick).map((e) => e.tick);
    expect(before.length).toBeGreaterThan(250);
    expect(after.length).toBeGreaterThan(250);
    expect(ticks).toEqual([...before.slice(-250), ...after.slice(0, 250)]);
  });
});

describe('search for an absent id', () => {
  it('says when it left', () => {
    const trace = new MemoryTrace();
    simulate({ scenario: 'random-walk', entities: 10, ticks: 5 }, trace);
    const source = new FileDataSource(trace);
    expect(search(source.stateAt(2), '999', source).absent).toBe(
      '#999 is not alive at tick 2 (not created or removed in ticks 0–4).',
    );
    expect(search(source.stateAt(2), '3', source).absent).toBeUndefined();
  });
});
