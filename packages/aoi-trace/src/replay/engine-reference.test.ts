import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBytes } from '../format/test-support/recorded-runs.js';
import { readTraceBytes } from '../format/trace-reader.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { NdjsonReader } from '../ndjson/ndjson-reader.js';
import { NdjsonWriter } from '../ndjson/ndjson-writer.js';
import { simulate } from '../simulate/simulate.js';
import { compareWithEngine } from './engine-reference.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What another server would print: its own source, no @lanes/aoi settings; `edit` changes one tick. */
function otherServer(name: string, edit?: (record: TickRecord) => TickRecord): string {
  const trace = new MemoryTrace();
  simulate({ scenario: 'random-walk', entities: 80, ticks: 60 }, trace);
  const attributes = Object.fromEntries(Object.entries(trace.header.attributes).filter(([k]) => !k.startsWith('aoi.')));
  const lines: string[] = [];
  const writer = new NdjsonWriter(lines);
  writer.begin({ ...trace.header, source: 'my-go-server 1.4', attributes });
  for (const record of trace.records) writer.writeTick(edit?.(record) ?? record);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('the engine as the reference of another server', () => {
  it('agrees with a correct server event for event, its unknown settings listed', () => {
    const { settings, ...result } = compareWithEngine(new NdjsonReader(otherServer('right.ndjson')));
    expect(result).toMatchObject({ agrees: true, ticks: 60, onlyRecorded: 0, onlyEngine: 0, ambiguous: 0 });
    expect(result.disagreements).toEqual([]);
    expect(settings.sources).toMatchObject({ algorithm: 'unknown', mode: 'unknown', moveEvents: 'unknown' });
  });

  it("finds a deliberately wrong event at its tick: the server's enter of the wrong target", () => {
    let wrong: { tick: number; watcher: number; target: number; should: number } | undefined;
    const path = otherServer('wrong.ndjson', (record) => {
      if (wrong !== undefined || record.tick < 10) return record;
      const { kinds, watchers, targets, count } = record.events;
      const i = Array.from({ length: count }, (_, k) => k).find((k) => kinds[k] === 0);
      if (i === undefined) return record;
      // Entity 0 is alive all along (never despawned in 60 ticks of this seed) and far from most pairs.
      const target = targets[i] === 0 ? 1 : 0;
      wrong = { tick: record.tick, watcher: watchers[i]!, target, should: targets[i]! };
      const events = { ...record.events, targets: targets.slice() };
      events.targets[i] = target;
      return { ...record, events };
    });
    const result = compareWithEngine(new NdjsonReader(path));
    expect(wrong).toBeDefined();
    expect(result.agrees).toBe(false);
    expect(result.firstDisagreementTick).toBe(wrong!.tick);
    const { tick, watcher, target, should } = wrong!;
    const at = result.disagreements.filter((d) => d.tick === tick);
    expect(
      at.map(({ side, kind, watcher, target, ambiguous }) => ({ side, kind, watcher, target, ambiguous })),
    ).toEqual([
      { side: 'recorded', kind: 'enter', watcher, target, ambiguous: false },
      { side: 'engine', kind: 'enter', watcher, target: should, ambiguous: false },
    ]);
    // The engine's enter is what the geometry calls for: the pair is inside the watcher's view radius.
    expect(at[1]!.distance!).toBeLessThanOrEqual(at[1]!.viewRadius!);
  });
});

describe('the engine as the reference of a quantized recording', () => {
  // Pairs jittering on the view border, stored at 1/1024: a few decisions flip on the rounded positions.
  const stored = () => {
    const trace = new MemoryTrace();
    simulate({ scenario: 'border-crowd', ticks: 100, viewRadius: 50, leaveRadius: 50 }, trace);
    return readTraceBytes(writeBytes(trace));
  };

  it('calls the disagreements that begin within the tolerance of a radius rounding, not bugs', () => {
    const file = stored();
    const result = compareWithEngine(file);
    expect(result.ambiguous).toBeGreaterThan(0);
    expect(result).toMatchObject({ agrees: true, onlyRecorded: 0, onlyEngine: 0, firstDisagreementTick: null });
    const starts = result.disagreements.filter(
      (d, i, all) => all.findIndex((e) => e.watcher === d.watcher && e.target === d.target) === i,
    );
    for (const d of starts) {
      expect(Math.abs(d.distance! - d.viewRadius!)).toBeLessThanOrEqual(result.tolerance);
    }
    // Without the band the same differences are disagreements.
    const strict = compareWithEngine(file, {}, { tolerance: 0 });
    expect(strict.agrees).toBe(false);
    expect(strict.onlyRecorded + strict.onlyEngine).toBe(result.ambiguous);
  });
});
