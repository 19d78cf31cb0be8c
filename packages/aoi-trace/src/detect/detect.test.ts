import { describe, expect, it } from 'vitest';
import { TraceError } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { type SimulateOptions, simulate } from '../simulate/index.js';
import { detect, groundTruth } from './detect.js';

function run(options: SimulateOptions) {
  const trace = new MemoryTrace();
  const summary = simulate(options, trace);
  return { trace, summary };
}

const keyOf = (tick: number, a: number, b: number) => `${tick}:${[a, b].sort((x, y) => x - y).join(',')}`;

describe('detect on clean runs', () => {
  for (const options of [
    { scenario: 'random-walk' },
    { scenario: 'border-crowd' },
    { scenario: 'aoitesting-sparse', ticks: 40 },
    { scenario: 'aoitesting-dense', entities: 3000, ticks: 30 },
  ] as SimulateOptions[]) {
    it(`finds nothing in ${options.scenario}`, () => {
      const { trace, summary } = run(options);
      const report = detect(trace);
      expect(report.counts).toEqual({
        'torn-view': 0,
        'delayed-broadcast': 0,
        adjacency: 0,
        oscillation: 0,
        'ground-truth': 0,
      });
      expect(report.groundTruth).toMatchObject({ missing: 0, extra: 0, late: 0, expected: summary.engineEvents });
      expect(report.groundTruth!.onTime).toBe(summary.recordedEvents);
      expect(report.ticks).toBe(summary.ticks);
    });
  }

  it('flags genuine flapping without hysteresis as oscillation, and ground truth agrees with the engine', () => {
    const { trace } = run({ scenario: 'border-crowd', leaveRadius: 50 });
    const report = detect(trace, { detectors: ['oscillation', 'ground-truth'], maxFindingsPerDetector: 1e6 });
    const scopes = new Set(report.findings.filter((f) => f.detector === 'oscillation').map((f) => f.evidence.scope));
    expect(scopes).toEqual(new Set(['pair', 'entity', 'region']));
    expect(report.counts['ground-truth']).toBe(0);
  });
});

describe('detect finds injected bugs', () => {
  const exact = { tolerance: 0 };

  it('torn views and missing leaves', () => {
    const { trace, summary } = run({ scenario: 'random-walk', inject: { tornView: { rate: 0.05 } } });
    expect(summary.injected['torn-view']).toBeGreaterThan(10);
    expect(summary.injected['missing-leave']).toBeGreaterThan(3);
    const report = detect(trace, { ...exact, detectors: ['torn-view', 'ground-truth'] });
    const torn = report.findings.filter((f) => f.detector === 'torn-view');
    const found = new Set(torn.map((f) => keyOf(f.tick, f.entities[0]!, f.entities[1]!)));
    for (const i of summary.injections) expect(found).toContain(keyOf(i.tick, i.watcher, i.target));
    // A torn leave whose target later despawns leaves a ghost too, so there can be more ghosts than injections.
    const ghosts = new Set(
      torn.filter((f) => f.evidence.kind === 'missing-leave').map((f) => `${f.tick}:${f.entities.join(',')}`),
    );
    for (const i of summary.injections.filter((i) => i.kind === 'missing-leave')) {
      expect(ghosts).toContain(`${i.tick}:${i.watcher},${i.target}`);
    }
    const missing = new Set(
      report.findings.filter((f) => f.evidence.finding === 'missing').map((f) => `${f.tick}:${f.entities.join(',')}`),
    );
    for (const i of summary.injections) expect(missing).toContain(`${i.tick}:${i.watcher},${i.target}`);
  });

  it('delayed broadcasts, with their lag', () => {
    const { trace, summary } = run({ scenario: 'random-walk', inject: { delayedBroadcast: { rate: 0.02, ticks: 3 } } });
    expect(summary.injected['delayed-broadcast']).toBeGreaterThan(20);
    const report = detect(trace, { ...exact, detectors: ['delayed-broadcast', 'ground-truth'] });
    const late = new Map(
      report.findings
        .filter((f) => f.evidence.finding === 'late')
        .map((f) => [`${f.tick}:${f.entities.join(',')}`, f.evidence.lagTicks]),
    );
    for (const i of summary.injections) {
      expect(late.get(`${i.tick}:${i.watcher},${i.target}`)).toBe(i.deliveredTick! - i.tick);
    }
    expect(report.groundTruth).toMatchObject({ missing: 0, extra: 0, late: summary.injected['delayed-broadcast'] });
    // The geometric detector sees every delay whose pair stayed across the radius until the event came.
    const delays = report.findings.filter((f) => f.detector === 'delayed-broadcast');
    const injected = new Set(summary.injections.map((i) => `${i.tick}:${i.watcher},${i.target}`));
    for (const f of delays) expect(injected).toContain(`${f.tick}:${f.entities.join(',')}`);
    expect(delays.length).toBeGreaterThan(summary.injected['delayed-broadcast'] * 0.8);
  });

  it('races: adjacency inconsistencies whose event never comes', () => {
    const { trace, summary } = run({ scenario: 'random-walk', inject: { race: { rate: 0.05 } } });
    expect(summary.injected.race).toBeGreaterThan(10);
    const report = detect(trace, { ...exact, detectors: ['adjacency', 'delayed-broadcast', 'ground-truth'] });
    const adjacency = new Set(
      report.findings.filter((f) => f.detector === 'adjacency').map((f) => `${f.tick}:${f.entities.join(',')}`),
    );
    for (const i of summary.injections) expect(adjacency).toContain(`${i.tick}:${i.watcher},${i.target}`);
    expect(report.counts['delayed-broadcast']).toBe(0);
    const missing = new Set(
      report.findings.filter((f) => f.evidence.finding === 'missing').map((f) => `${f.tick}:${f.entities.join(',')}`),
    );
    for (const i of summary.injections) expect(missing).toContain(`${i.tick}:${i.watcher},${i.target}`);
  });

  it('oscillation: flapping pairs, with ground truth counting the spurious events', () => {
    const { trace, summary } = run({
      scenario: 'aoitesting-sparse',
      ticks: 60,
      inject: { oscillation: { rate: 0.02 } },
    });
    expect(summary.injected.oscillation).toBeGreaterThan(20);
    const report = detect(trace, { ...exact, detectors: ['oscillation', 'ground-truth'] });
    const pairs = report.findings.filter((f) => f.detector === 'oscillation' && f.evidence.scope === 'pair');
    const found = new Set(pairs.map((f) => `${f.tick}:${f.entities.join(',')}`));
    const flaps = new Map<string, { first: number; count: number }>();
    for (const i of summary.injections) {
      const key = `${i.watcher},${i.target}`;
      const flap = flaps.get(key) ?? { first: i.tick, count: 0 };
      flaps.set(key, { first: Math.min(flap.first, i.tick), count: flap.count + 1 });
    }
    // A flap starts the tick after the real enter, where the burst begins; a real exit of the pair cuts it short.
    const complete = [...flaps].filter(([, flap]) => flap.count === 4);
    expect(complete.length).toBeGreaterThan(flaps.size * 0.8);
    for (const [pair, flap] of complete) expect(found).toContain(`${flap.first - 1}:${pair}`);
    const extra = new Set(
      report.findings.filter((f) => f.evidence.finding === 'extra').map((f) => `${f.tick}:${f.entities.join(',')}`),
    );
    for (const i of summary.injections) expect(extra).toContain(`${i.tick}:${i.watcher},${i.target}`);
    expect(report.groundTruth).toMatchObject({ late: 0, extra: summary.injected.oscillation });
  });
});

describe('detect options', () => {
  const { trace } = run({ scenario: 'random-walk', ticks: 60, inject: { race: { rate: 0.05 } } });

  it('selects detectors and caps findings while keeping exact counts', () => {
    const full = detect(trace, { detectors: ['adjacency'] });
    expect(full.counts.adjacency).toBeGreaterThan(3);
    expect(full.findings.every((f) => f.detector === 'adjacency')).toBe(true);
    const capped = detect(trace, { detectors: ['adjacency'], maxFindingsPerDetector: 2 });
    expect(capped.findings).toHaveLength(2);
    expect(capped.counts.adjacency).toBe(full.counts.adjacency);
    expect(capped.truncated).toEqual(['adjacency']);
  });

  it('groundTruth() reports the same counts as the detector', () => {
    const report = groundTruth(trace);
    expect(report.counts.missing).toBe(detect(trace, { detectors: ['ground-truth'] }).groundTruth!.missing);
    expect(report.counts.missing).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.detector === 'ground-truth')).toBe(true);
  });

  it('every finding names entities, ticks and evidence', () => {
    for (const f of detect(trace).findings) {
      expect(f.entities.length).toBeGreaterThan(0);
      expect(Number.isInteger(f.tick)).toBe(true);
      expect(Object.keys(f.evidence).length).toBeGreaterThan(0);
      expect(f.message).toMatch(/\d/);
    }
  });

  it('rejects bad options with a TraceError naming the option', () => {
    const cases: Array<[object, string]> = [
      [{ detectors: ['torn'] }, '$.detectors[0]'],
      [{ window: 0 }, '$.window'],
      [{ tolerance: -1 }, '$.tolerance'],
      [{ maxLagTick: 1 }, '$.maxLagTick'],
    ];
    for (const [options, path] of cases) {
      try {
        detect(trace, options as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TraceError);
        expect((error as TraceError).details.path).toBe(path);
        expect((error as TraceError).code).toBe('AOITRACE_INVALID_ARGUMENT');
      }
    }
  });
});
