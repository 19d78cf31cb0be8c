import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { recordWorld } from '../record/recorder.js';
import { simulate } from '../simulate/index.js';
import { detect } from './detect.js';
import type { Finding } from './types.js';

const regionFindings = (trace: MemoryTrace): Finding[] =>
  detect(trace, { detectors: ['oscillation'], maxFindingsPerDetector: 1e6 }).findings.filter(
    (f) => f.evidence.scope === 'region',
  );

/** The numbers of a region finding must say the same thing as its text: rate = reversals / (edges × ticks). */
function expectConsistent(finding: Finding): void {
  const { reversals, edges, ratePerEdgePerTick, fromTick, toTick } = finding.evidence as Record<string, number>;
  const ticks = toTick! - fromTick! + 1;
  expect(edges).toBeGreaterThan(0);
  expect(ratePerEdgePerTick).toBeCloseTo(reversals! / (edges! * ticks), 12);
  expect(finding.message).toContain(`${reversals} reversals in ${ticks} tick(s)`);
  expect(finding.message).toContain(`over ${edges} view edge(s)`);
  expect(finding.message).toContain(`${ratePerEdgePerTick!.toFixed(3)} per edge per tick`);
}

describe('oscillation: region evidence', () => {
  it('counts a pair that flapped as a view edge even when it is out of view at the end of the window', () => {
    // Issue 15: "12 reversals over 0 view edges … 0.857 per edge per tick".
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { regionSize: 1000, now: () => 0 });
    world.add(1, { x: 0, y: 0, viewRadius: 10, marker: false });
    world.add(2, { x: 100, y: 0, watcher: false });
    recorder.tick();
    for (let i = 1; i <= 20; i++) {
      world.move(2, i % 2 === 1 ? 5 : 100, 0);
      recorder.tick();
    }
    const [finding, ...others] = regionFindings(trace);
    expect(others).toEqual([]);
    expect(finding!.evidence).toMatchObject({ edges: 1, edgesAtEnd: 0, flappedEdges: 1 });
    expectConsistent(finding!);
  });

  it('keeps numbers and text consistent on a crowd flapping without hysteresis', () => {
    const trace = new MemoryTrace();
    simulate({ scenario: 'border-crowd', leaveRadius: 50 }, trace);
    const findings = regionFindings(trace);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expectConsistent(finding);
  });
});
