import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    const { settings, diff } = compareWithEngine(new NdjsonReader(otherServer('right.ndjson')));
    expect(diff.identical).toBe(true);
    expect(diff.ticksCompared).toBe(60);
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
    const { diff } = compareWithEngine(new NdjsonReader(path));
    expect(wrong).toBeDefined();
    expect(diff.identical).toBe(false);
    expect(diff.firstDivergentTick).toBe(wrong!.tick);
    const first = diff.divergentTicks.items[0]!;
    expect(first.events).toContainEqual({ side: 'a', kind: 'enter', watcher: wrong!.watcher, target: wrong!.target });
    expect(first.events).toContainEqual({ side: 'b', kind: 'enter', watcher: wrong!.watcher, target: wrong!.should });
    expect(first.eventsOnlyInA).toBe(1);
    expect(first.eventsOnlyInB).toBe(1);
  });
});
