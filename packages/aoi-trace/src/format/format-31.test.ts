import { readFileSync } from 'node:fs';
import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { leaveHeightOf } from '../detect/cylinder.js';
import { TraceErrorCode } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { watchingSpawn } from '../model/test-support/tick-records.js';
import type { TickRecord } from '../model/types.js';
import { recordWorld } from '../record/recorder.js';
import { mulberry32 } from '../simulate/mulberry32.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { DeviationFlag, encodeDeviations } from './event-deviations.js';
import { EventPredictor } from './event-predictor.js';
import { decodePredictedViews } from './keyframe-views.js';
import { ChunkKind } from './layout.js';
import { ChunkBudget, DecodeCost, Limits } from './limits.js';
import { SlotOrder } from './slot-order.js';
import { plain, recordRun, writeBytes } from './test-support/recorded-runs.js';
import { chunkSpans, plainWorld } from './test-support/world-view.js';
import { readTraceBytes } from './trace-reader.js';
import { ViewTable } from './view-table.js';

// Format 3.1's three rule changes (docs/aoitrace-format.md, "Version 3"), each shown by what it saves, and 3.0
// files still read as they were written.

/** A batched engine on a quarter-unit grid (so stored positions are exact), recorded. */
function engine(
  drive: (world: AoiWorld, tick: number, rnd: () => number) => void,
  ticks: number,
  seed = 3,
): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 10) });
  const rnd = mulberry32(seed);
  for (let t = 0; t < ticks; t++) {
    drive(world, t, rnd);
    recorder.tick();
  }
  recorder.close();
  return trace;
}

const quarter = (v: number) => Math.round(v * 4) / 4;

describe('format 3.0 files', () => {
  it('read exactly as the 3.0 code wrote them (a fixture and the same ticks in 2.2, written before 3.1)', () => {
    const dir = new URL('./test-support/fixtures/', import.meta.url);
    const v2 = readTraceBytes(readFileSync(new URL('format-2.2.aoitrace', dir)), { strict: true });
    const v3 = readTraceBytes(readFileSync(new URL('format-3.0.aoitrace', dir)), { strict: true });
    expect([v3.formatMajor, v3.formatMinor]).toEqual([3, 0]);
    const records = [...v2.ticks()];
    expect(records.some((t) => t.spawns.some((s) => s.viewHeight !== undefined && s.leaveHeight === undefined))).toBe(
      true,
    );
    const ticks = records.map(plain);
    expect([...v3.ticks()].map(plain)).toEqual(ticks);
    for (const tick of [5, 17, v2.lastTick!]) {
      const a = v2.stateAt(tick);
      const b = v3.stateAt(tick);
      for (const id of a.entities.keys()) expect(b.viewOf(id)).toEqual(a.viewOf(id));
    }
  });

  it('a 3.x minor this reader does not know is refused, not misread', () => {
    const bytes = readFileSync(new URL('./test-support/fixtures/format-3.0.aoitrace', import.meta.url));
    bytes.writeUInt16LE(2, 10);
    expect(() => readTraceBytes(bytes)).toThrow(expect.objectContaining({ code: TraceErrorCode.BadFormat }));
  });
});

describe('format 3.1 keyframes', () => {
  it('with view = leave, store no view pair: a keyframe is its entities, a slot byte each, and three counts', () => {
    const n = 120;
    const trace = engine((world, t, rnd) => {
      for (let id = 0; id < n; id++) {
        const x = quarter(rnd() * 60);
        const y = quarter(rnd() * 60);
        if (t === 0) world.add(id, { x, y, viewRadius: 12 });
        else world.move(id, x, y);
      }
    }, 30);
    const layout = { keyframeInterval: 10, deflate: false };
    const noEvents = trace.records.map((r) => ({
      ...r,
      eventBase: 0,
      events: { count: 0, kinds: new Uint8Array(0), watchers: new Int32Array(0), targets: new Int32Array(0) },
    }));
    const stats = (records: readonly TickRecord[], format: '2.2' | '3.1') => {
      const copy = new MemoryTrace();
      copy.begin(trace.header);
      for (const record of records) copy.writeTick(record);
      return readTraceBytes(writeBytes(copy, { ...layout, format })).stats();
    };
    const bare = stats(noEvents, '2.2');
    const v2 = stats(trace.records, '2.2');
    const v31 = stats(trace.records, '3.1');
    const keyframes = v31.keyframes;
    expect(keyframes).toBe(bare.keyframes);
    const pairs = readTraceBytes(writeBytes(trace, { ...layout, format: '2.2' })).stateAt(trace.records.at(-1)!.tick);
    let viewPairs = 0;
    for (const id of pairs.entities.keys()) viewPairs += [...pairs.viewOf(id)].length;
    // 2.2 stores each mutual pair once (at least a byte); 3.1 a one-byte slot delta per entity and three counts.
    expect(v2.bytesByKind.keyframe - bare.bytesByKind.keyframe).toBeGreaterThanOrEqual((keyframes * viewPairs) / 4);
    expect(v31.bytesByKind.keyframe - bare.bytesByKind.keyframe).toBeLessThanOrEqual(keyframes * (n + 3));
  });

  it('a hostile keyframe (every entity in one spot, huge reach) is refused within the limit', () => {
    const entities = Array.from({ length: 3000 }, (_, id) => ({
      id,
      x: 0,
      y: 0,
      viewRadius: 1e9,
      leaveRadius: 1e9,
      watcher: true,
      marker: true,
    }));
    const input = new ByteReader(new Uint8Array(16), 0, 'keyframe');
    // 3000^2 pairs within reach, over what a chunk may decode to (Limits.chunkDecodedBytes / DecodeCost.event).
    expect(3000 * 2999).toBeGreaterThan(Limits.chunkDecodedBytes / DecodeCost.event);
    expect(() =>
      decodePredictedViews(input, entities, new ViewTable(), new ChunkBudget((what) => input.limit(what))),
    ).toThrow(expect.objectContaining({ code: TraceErrorCode.Limit }));
  });
});

/** How many ticks of `trace` store an order record, with (3.1) or without (3.0) the slot allocation. */
function ordered(trace: MemoryTrace, slotted: boolean): number {
  const predictor = new EventPredictor({ leaveHeightFollowsView: slotted });
  const slots = slotted ? new SlotOrder() : undefined;
  let count = 0;
  for (const record of trace.records) {
    predictor.begin(record.spawns, record.updates, record.moves, record.despawns);
    const moveEvents = record.events.kinds.some((k) => k === 2);
    const predicted = predictor.predict(
      moveEvents,
      () => {},
      () => {},
    );
    slots?.begin(record.spawns, record.despawns);
    const out = new ByteWriter(1024);
    encodeDeviations(out, predicted, record.events, moveEvents, predictor.removedTest(), slots);
    predictor.finish(record.events, record.despawns);
    slots?.end();
    const flags = new ByteReader(out.toBytes(), 0).varint();
    expect(flags & (DeviationFlag.Missing | DeviationFlag.Extra)).toBe(0);
    if (flags & DeviationFlag.Order) count++;
  }
  return count;
}

describe('format 3.1 canonical order', () => {
  it("follows the engine's slot allocation: logouts, logins reusing slots and respawns need no order record", () => {
    let next = 0;
    const live: number[] = [];
    const trace = engine((world, t, rnd) => {
      const spawn = () => {
        const id = next++;
        live.push(id);
        world.add(id, { x: quarter(rnd() * 50), y: quarter(rnd() * 50), viewRadius: 10, leaveRadius: 13 });
      };
      if (t === 0) for (let i = 0; i < 60; i++) spawn();
      for (let k = 0; k < 4 && t > 0; k++) {
        const [gone] = live.splice(Math.floor(rnd() * live.length), 1);
        world.remove(gone!);
      }
      // A respawn: the same id removed and added again in the tick.
      const again = t > 0 ? live[Math.floor(rnd() * live.length)]! : -1;
      if (t > 0) {
        world.remove(again);
        world.add(again, { x: quarter(rnd() * 50), y: quarter(rnd() * 50), viewRadius: 10, leaveRadius: 13 });
      }
      for (const id of live) if (id !== again) world.move(id, quarter(rnd() * 50), quarter(rnd() * 50));
      for (let k = 0; k < 4 && t > 0; k++) spawn();
    }, 40);
    expect(trace.records.some((r) => r.spawns.some((s) => s.respawn === true))).toBe(true);
    expect(ordered(trace, false)).toBeGreaterThan(10);
    expect(ordered(trace, true)).toBe(0);
    const ticks = [...readTraceBytes(writeBytes(trace, { format: '3.1', keyframeInterval: 7 })).ticks()];
    expect(ticks.map(plain)).toEqual(trace.records.map(plain));
  });
});

describe('format 3.1 leave half-height', () => {
  it("defaults to the view half-height (the engine's and the detectors'), not Infinity", () => {
    const spawn = (id: number, z: number) => watchingSpawn(id, 0, { z, viewHeight: 2 });
    const noMoves = { count: 0, ids: new Int32Array(0), xs: new Float64Array(0), ys: new Float64Array(0) };
    const leaves = (followsView: boolean) => {
      const predictor = new EventPredictor({ leaveHeightFollowsView: followsView });
      predictor.load(
        [spawn(1, 0), spawn(2, 1)],
        [
          [1, [2]],
          [2, [1]],
        ],
      );
      // Entity 2 climbs to z 3: beyond the view half-height 2, within an unbounded leave extent.
      predictor.begin([], [{ id: 2, z: 3, cause: -1 }], noMoves, []);
      return predictor.predict(
        false,
        () => {},
        () => {},
      ).count;
    };
    expect(leaveHeightOf(spawn(1, 0))).toBe(2);
    expect(leaves(true)).toBe(2);
    expect(leaves(false)).toBe(0);
  });
});

describe('format 3.1 after lost ticks', () => {
  it('a reading with a resync, written again as 3.1, reads back the same ticks (slots restart in id order)', () => {
    const trace = recordRun({ ticks: 80, entities: 40, seed: 5 });
    const bytes = writeBytes(trace, { chunkTicks: 5, keyframeInterval: 20, format: '3.1' });
    const ticksChunks = chunkSpans(bytes).filter((s) => s.kind === ChunkKind.Ticks);
    const victim = ticksChunks.find((s) => s.firstTick > 25)!;
    const damaged = bytes.slice();
    damaged[victim.offset + 60]! ^= 0x10;
    const read = [...readTraceBytes(damaged).ticks()];
    expect(read.some((r) => r.resync !== undefined)).toBe(true);
    const copy = new MemoryTrace();
    copy.begin(trace.header);
    for (const record of read) copy.writeTick(record);
    const again = [...readTraceBytes(writeBytes(copy, { format: '3.1' }), { strict: true }).ticks()];
    const strip = ({ resync, ...rest }: TickRecord) => ({
      ...plain(rest),
      resync: resync && { lostFrom: resync.lostFrom, state: plainWorld(resync.state) },
    });
    expect(again.map(strip)).toEqual(read.map(strip));
  });
});
