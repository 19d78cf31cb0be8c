import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../detect/detect.js';
import type { DetectorName } from '../detect/types.js';
import { TraceError } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { NdjsonReader } from '../ndjson/ndjson-reader.js';
import { NdjsonWriter } from '../ndjson/ndjson-writer.js';
import type { InjectOptions, ScenarioName } from '../simulate/options.js';
import { simulate } from '../simulate/simulate.js';
import { matchesSignature, signatureOf } from './finding-match.js';
import { findMatch } from './predicate.js';
import { entityIds, projectTrace } from './project.js';
import { type ShrinkProgress, shrinkTrace } from './shrink.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-shrink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function injected(inject: InjectOptions, scenario: ScenarioName = 'random-walk'): MemoryTrace {
  const trace = new MemoryTrace();
  simulate({ scenario, entities: 200, ticks: 50, inject }, trace);
  return trace;
}

const CASES: Array<[string, InjectOptions, ScenarioName?]> = [
  ['torn-view:asymmetric-view', { tornView: { rate: 0.02 } }],
  ['torn-view:missing-leave', { tornView: { rate: 0.5 } }],
  ['delayed-broadcast', { delayedBroadcast: { rate: 0.02 } }],
  ['adjacency', { race: { rate: 0.02 } }],
  ['oscillation', { oscillation: { rate: 0.02 } }],
  ['ground-truth:missing', { race: { rate: 0.02 } }],
  ['ground-truth:extra', { oscillation: { rate: 0.02 } }],
  ['ground-truth:late', { delayedBroadcast: { rate: 0.02 } }],
  // The 3D bug, on the scenario with height: the repro keeps z and the half-heights.
  ['adjacency', { flatLeave: { rate: 0.05 } }, 'floors'],
  ['ground-truth:late', { flatLeave: { rate: 0.05 } }, 'floors'],
];

describe('shrinkTrace on the injected bugs', () => {
  for (const [kind, inject, scenario] of CASES) {
    const name = scenario === undefined ? kind : `${kind} on ${scenario}`;
    it(`${name}: the repro file still shows the finding, and every entity in it is needed`, () => {
      const trace = injected(inject, scenario);
      const result = shrinkTrace(trace, { finding: kind });
      const signature = signatureOf(result.finding);
      expect(result.type).toBe('minimal');
      expect(result.after.entities).toBeLessThan(result.before.entities);
      // The goal for a repro (docs/benchmarks.md measures it on 10,000 entities and 300 ticks).
      expect(result.after.entities).toBeLessThanOrEqual(6);
      expect(result.after.ticks).toBeLessThanOrEqual(12);

      // The file a person attaches: NDJSON, read back with the validating reader, detect run on it as the CLI does.
      const lines: string[] = [];
      const writer = new NdjsonWriter(lines);
      writer.begin(result.header);
      for (const record of result.records) writer.writeTick(record);
      const file = join(dir, `${name.replace(':', '-').replaceAll(' ', '-')}.ndjson`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const report = detect(new NdjsonReader(file), { detectors: [signature.detector as DetectorName] });
      expect(report.findings.some((f) => matchesSignature(f, signature))).toBe(true);
      expect(entityIds([...new NdjsonReader(file).ticks()]).sort((a, b) => a - b)).toEqual(result.after.entityIds);

      // 1-minimal over entities: without any one of them the finding is gone.
      for (const id of result.after.entityIds) {
        const without = new Set(result.after.entityIds.filter((e) => e !== id));
        const candidate = projectTrace(result.records, { entities: without });
        expect(findMatch(result.header, candidate, signature, {}), `without entity ${id}`).toBeUndefined();
      }
    });
  }

  it('reports progress and counts candidates', () => {
    const seen: ShrinkProgress[] = [];
    const result = shrinkTrace(injected({ race: { rate: 0.02 } }), {
      finding: 'adjacency',
      onProgress: (p) => seen.push(p),
    });
    const searching = seen.filter((p) => p.phase !== 'detect');
    expect(searching).toHaveLength(result.candidates);
    expect(seen.filter((p) => p.phase === 'detect').at(-1)!.ticks).toBeGreaterThan(0);
    expect(searching.map((p) => p.phase)).toContain('ticks');
    expect(seen.at(-1)!.entities).toBeLessThanOrEqual(seen[0]!.entities);
  });

  it('stops at once with a zero budget and still returns a repro: the input up to the finding', () => {
    const trace = injected({ race: { rate: 0.02 } });
    const result = shrinkTrace(trace, { finding: 'adjacency', maxSeconds: 0 });
    expect(result.type).toBe('stopped-early');
    expect(result.candidates).toBe(0);
    expect(result.records.at(-1)!.tick).toBeLessThanOrEqual(trace.records.at(-1)!.tick);
    expect(findMatch(result.header, result.records, signatureOf(result.finding), {})).toBeDefined();
  });

  it('picks a finding by its number in the detect report, and refuses one that is not there', () => {
    const trace = injected({ tornView: { rate: 0.02 } });
    const report = detect(trace);
    // The reading stops at the tick that reports the finding: the number still counts as in the whole report.
    for (const index of [0, report.findings.length - 1]) {
      expect(shrinkTrace(trace, { finding: String(index) }).finding).toEqual(report.findings[index]);
    }
    expect(() => shrinkTrace(trace, { finding: String(report.findings.length) })).toThrow(/no finding #/);
    expect(() => shrinkTrace(trace, { finding: 'torn-view@100000' })).toThrow(/no torn-view finding began at tick/);
    expect(() => shrinkTrace(trace, { finding: 'oscillation:sideways' })).toThrow(TraceError);
    expect(() => shrinkTrace(injected({}), { finding: 'torn-view' })).toThrow(/has no torn-view finding/);
  });
});
