import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { detect } from '../../detect/detect.js';
import type { Finding } from '../../detect/types.js';
import { MemoryTrace } from '../../model/memory-trace.js';
import { validateTick } from '../../model/validate-tick.js';
import { WorldState } from '../../model/world-state.js';
import { recordWorld } from '../../record/recorder.js';
import type { SimulateOptions } from '../options.js';
import { simulate } from '../simulate.js';
import { InjectingSink } from './injecting-sink.js';

const run = (options: SimulateOptions) => {
  const trace = new MemoryTrace();
  const summary = simulate(options, trace);
  const state = new WorldState();
  for (const record of trace.records) {
    const error = validateTick(state, trace.header, record);
    if (error !== undefined) throw error;
    state.apply(record);
  }
  return { trace, summary, state };
};

const all = { maxFindingsPerDetector: 1_000_000 };
const FLOORS: SimulateOptions = { scenario: 'floors', entities: 150, ticks: 80 };
const pairAt = (f: Finding) => `${f.tick}:${f.entities[0]}:${f.entities[1]}`;

describe('flat-leave injection (a leave test without the vertical extent)', () => {
  it('drops exits due to |dz| alone, and ground truth names each one (pair, tick), late or missing', () => {
    const { trace, summary, state } = run({ ...FLOORS, inject: { flatLeave: { rate: 0.3 } } });
    expect(summary.injected['flat-leave']).toBeGreaterThan(50);
    expect(summary.injectionsTruncated).toBe(false);
    const report = detect(trace, all);
    const truth = new Map<string, Finding>();
    for (const f of report.findings) if (f.detector === 'ground-truth') truth.set(pairAt(f), f);
    for (const i of summary.injections) {
      expect(i).toMatchObject({ kind: 'flat-leave', event: 'exit' });
      const finding = truth.get(`${i.tick}:${i.watcher}:${i.target}`);
      expect(finding, `injection ${JSON.stringify(i)}`).toBeDefined();
      expect(finding!.evidence).toMatchObject({ event: 'exit', dueTick: i.tick });
      expect(['late', 'missing']).toContain(finding!.evidence.finding);
    }
    // The divergence detectors see it too: a late exit (the flat test fired once the target also walked away) is a
    // delayed broadcast, an exit that never came is an adjacency that was never fixed.
    const injected = new Set(summary.injections.map((i) => `${i.tick}:${i.watcher}:${i.target}`));
    const byDetector = (detector: string) =>
      report.findings.filter((f) => f.detector === detector && injected.has(pairAt(f)));
    expect(byDetector('delayed-broadcast').length).toBeGreaterThan(0);
    expect(byDetector('adjacency').map((f) => f.evidence.kind)).toContain('never-left');
    // Some pair is still in the recorded view at the end although another storey holds the target.
    let stale = 0;
    for (const [w, view] of state.views) {
      const we = state.entities.get(w)!;
      for (const t of view) if (Math.abs(we.z! - state.entities.get(t)!.z!) > we.leaveHeight!) stale++;
    }
    expect(stale).toBeGreaterThan(0);
  });

  it('is caught by ground truth alone with every injection at rate 1, and the clean run has no finding', () => {
    const buggy = run({ ...FLOORS, inject: { flatLeave: { rate: 1 } } });
    const report = detect(buggy.trace, { ...all, detectors: ['ground-truth'] });
    expect(report.counts['ground-truth']).toBeGreaterThanOrEqual(buggy.summary.injected['flat-leave']);
    const clean = run(FLOORS);
    expect(detect(clean.trace, all).findings).toEqual([]);
  });

  it('changes nothing on a 2D scenario (every exit there is horizontal)', () => {
    const base: SimulateOptions = { scenario: 'random-walk', entities: 100, ticks: 60 };
    const injected = run({ ...base, inject: { flatLeave: { rate: 1 } } });
    expect(injected.summary.injected['flat-leave']).toBe(0);
    expect(injected.trace.records).toEqual(run(base).trace.records);
  });
});

describe('race injection with height', () => {
  it('judges a unit that only climbed from its previous z: its exit is lost', () => {
    // a and b stacked on one storey; b climbs one storey without moving horizontally (a move that changes z only).
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const sink = new InjectingSink(trace, { seed: 1, race: { rate: 1 } }, 10, 100);
    const recorder = recordWorld(world, sink, { now: () => 0 });
    const floor = { viewRadius: 20, leaveRadius: 24, viewHeight: 4, leaveHeight: 6 };
    world.add(1, { x: 0, y: 0, z: 0, ...floor });
    world.add(2, { x: 5, y: 0, z: 0, ...floor });
    recorder.tick();
    world.move(2, 5, 0, 10);
    recorder.tick();
    recorder.close();
    expect(sink.engineEvents).toBe(4);
    expect(sink.log.list.map((i) => `${i.kind} ${i.event} ${i.watcher}:${i.target} at ${i.tick}`).sort()).toEqual([
      'race exit 1:2 at 1',
      'race exit 2:1 at 1',
    ]);
    expect(trace.records[1]!.events.count).toBe(0);
  });

  it('races movers on the floors, and adjacency finds every race', () => {
    const { trace, summary } = run({ ...FLOORS, inject: { race: { rate: 0.05 } } });
    expect(summary.injected.race).toBeGreaterThan(10);
    const report = detect(trace, { ...all, detectors: ['adjacency'] });
    const found = new Set(report.findings.map(pairAt));
    for (const i of summary.injections)
      expect(found, JSON.stringify(i)).toContain(`${i.tick}:${i.watcher}:${i.target}`);
  });
});
