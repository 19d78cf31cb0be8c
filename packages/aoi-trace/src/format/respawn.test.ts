// A respawn (the engine's remove(id) then add(id) in one batched tick) through every place aoi-trace applies the
// world's rules: validateTick, WorldState, the writer's WorldMirror and view log (inline and on workers), the tick
// encoder and decoder, the reader's ReplayWorld behind stateAt, keyframes, and NDJSON. Each must accept the same
// sequence, agree on the world after every tick, and refuse the same misuse.

import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { tickRecord } from '../model/test-support/tick-records.js';
import type { EntitySpawn, TickRecord } from '../model/types.js';
import { validateTick } from '../model/validate-tick.js';
import { WorldState } from '../model/world-state.js';
import { ndjsonTickLine } from '../ndjson/ndjson-encode.js';
import { parseNdjsonLine } from '../ndjson/parse-ndjson-line.js';
import { recordWorld } from '../record/recorder.js';
import { ByteWriter } from './byte-writer.js';
import { Quantizer } from './quantizer.js';
import { StringTableWriter } from './string-table.js';
import { plain, writeBytes } from './test-support/recorded-runs.js';
import { plainWorld, replayAll } from './test-support/world-view.js';
import { TickEncoder } from './tick-encoder.js';
import { readTraceBytes } from './trace-reader.js';
import { WorldMirror } from './world-mirror.js';

/** Views the engine holds after each tick, to check every replay against the engine itself. */
type EngineViews = Map<number, [number, number[]][]>;

function recordRespawns(): { trace: MemoryTrace; engine: EngineViews } {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 50) });
  const engine: EngineViews = new Map();
  const ids = () => [...Array(12).keys()].filter((id) => world.has(id));
  let next = 0;
  const step = () => {
    recorder.tick();
    engine.set(
      next++,
      ids().map((id) => [id, world.viewOf(id)]),
    );
  };
  for (let id = 0; id < 10; id++) world.add(id, { x: (id % 5) * 6, y: Math.floor(id / 5) * 6, viewRadius: 9 });
  step();
  for (let t = 1; t <= 12; t++) {
    const a = t % 10;
    const b = (t * 3 + 1) % 10;
    // Same place, other radius: every pair of `a` leaves and enters again in this tick.
    const { x, y } = world.position(a);
    world.remove(a);
    world.add(a, { x, y, viewRadius: 5 + (t % 3) * 4, leaveRadius: 14, watcher: t % 4 !== 0 });
    // Moved, removed, added elsewhere and moved again.
    if (b !== a) {
      world.move(b, 1 + t, 2);
      world.remove(b);
      world.add(b, { x: 40 - t, y: 3, viewRadius: 8, marker: t % 5 !== 0 });
      world.move(b, 30 - t, 4);
    }
    // Every third tick: an id removed, added, removed (gone for good), then a new one added, removed, added.
    if (t % 3 === 0 && world.has(10 + (t % 2))) world.remove(10 + (t % 2));
    if (t % 3 === 1) {
      world.add(10 + (t % 2), { x: t, y: t, viewRadius: 7 });
      world.remove(10 + (t % 2));
      world.add(10 + (t % 2), { x: t, y: 0, viewRadius: 7 });
    }
    step();
  }
  recorder.close();
  return { trace, engine };
}

const entity = (id: number, respawn?: boolean): EntitySpawn => ({
  id,
  x: 0,
  y: 0,
  viewRadius: 1,
  leaveRadius: 1,
  watcher: true,
  marker: true,
  tags: [],
  cause: -1,
  ...(respawn === undefined ? {} : { respawn }),
});
const tick = (t: number, spawns: EntitySpawn[]): TickRecord => tickRecord(t, { spawns });

const plainViews = (state: WorldState, ids: readonly number[]) => ids.map((id) => [id, state.viewOf(id)]);

describe('respawn through every implementation of the world rules', () => {
  const { trace, engine } = recordRespawns();
  const respawns = trace.records.flatMap((r) => r.spawns.filter((s) => s.respawn === true));

  it('the recorder writes respawns, and validateTick and WorldState follow the engine', () => {
    expect(respawns.length).toBeGreaterThan(20);
    const state = new WorldState();
    for (const record of trace.records) {
      expect(validateTick(state, trace.header, record)).toBeUndefined();
      state.apply(record);
      const expected = engine.get(record.tick)!;
      expect(
        plainViews(
          state,
          expected.map(([id]) => id),
        ),
      ).toEqual(expected);
      expect([...state.entities.keys()].sort((a, b) => a - b)).toEqual(expected.map(([id]) => id));
    }
  });

  for (const background of [false, true]) {
    it(`the writer's mirror, the decoder and stateAt's replay agree with WorldState (background: ${background})`, () => {
      const bytes = writeBytes(trace, { keyframeInterval: 3, chunkTicks: 2, background });
      const reader = readTraceBytes(bytes);
      expect([...reader.ticks()].map(plain)).toEqual(trace.records.map(plain));
      const worlds = replayAll(trace.records);
      for (const record of trace.records)
        expect(plainWorld(reader.stateAt(record.tick))).toEqual(worlds.get(record.tick));
      expect(reader.verify().corrupt).toEqual([]);
    });
  }

  it('NDJSON writes "respawn": true and reads it back', () => {
    let eventBase = 0;
    for (const [i, record] of trace.records.entries()) {
      const line = ndjsonTickLine(record);
      const parsed = parseNdjsonLine(line, i + 2, { eventBase });
      expect(parsed.type === 'tick' && plain(parsed.record)).toEqual(plain(record));
      expect(line.match(/"respawn":true/g)?.length ?? 0).toBe(record.spawns.filter((s) => s.respawn).length);
      eventBase += record.events.count;
    }
    expect(() =>
      parseNdjsonLine('{"type":"tick","tick":0,"time":0,"spawns":[{"id":1,"x":0,"y":0,"respawn":1}]}', 2),
    ).toThrow(/spawns\[0\]\.respawn/);
  });

  it('encodes to the bytes docs/aoitrace-format.md shows', () => {
    const mirror = new WorldMirror();
    mirror.spawn({ ...entity(2), x: 0, y: 0 }, 0, 0, 0);
    const out = new ByteWriter();
    const record = tick(1, [{ ...entity(2, true), x: 9, y: 1, viewRadius: 30, leaveRadius: 30 }]);
    new TickEncoder(mirror, new Quantizer(1 / 1024), 0).encode(
      out,
      new StringTableWriter(),
      { ...record, time: 0 },
      {
        prevTick: 0,
        prevTime: 0,
        nextEventBase: 0,
      },
    );
    const hex = [...out.bytes.subarray(0, out.length)].map((b) => b.toString(16).padStart(2, '0').toUpperCase());
    expect(hex.join(' ')).toBe('10 00 00 01 04 80 90 01 80 10 78 0F 00 00 00 00');
  });
  // Misuse (a respawn of a missing id, a plain spawn of a live one) is in model/world-rules.conformance.test.ts.
});
