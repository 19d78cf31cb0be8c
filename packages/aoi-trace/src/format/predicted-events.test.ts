import { AoiWorld } from '@lanes/aoi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import type { EventColumns, TickRecord } from '../model/types.js';
import { recordWorld } from '../record/recorder.js';
import { EventPredictor } from './event-predictor.js';
import { MemoryTarget } from './io.js';
import { withEventLists } from './test-support/kinetic-runs.js';
import { plain, recordRun } from './test-support/recorded-runs.js';
import { readTraceBytes } from './trace-reader.js';
import { TraceWriter } from './trace-writer.js';
import type { TraceWriterOptions } from './writer-options.js';

// Format 3 stores a tick's events as their differences from the predicted ones. Whatever the events (a correct
// engine's, or mutated: dropped, extra, duplicated, delayed, reordered), reading a 3.0 file gives exactly what the
// 2.2 reader gives for the same ticks written in 2.2.

function write(header: MemoryTrace['header'], records: readonly TickRecord[], options: TraceWriterOptions): Uint8Array {
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, options);
  writer.begin(header);
  for (const record of records) writer.writeTick(record);
  writer.close();
  return target.bytes();
}

function expectSameReading(header: MemoryTrace['header'], records: readonly TickRecord[], small: boolean): void {
  const layout: TraceWriterOptions = small ? { keyframeInterval: 3, chunkTicks: 2 } : {};
  const v2 = readTraceBytes(write(header, records, { ...layout, format: '2.2' }), { strict: true });
  for (const format of ['3.0', '3.1'] as const) {
    const v3 = readTraceBytes(write(header, records, { ...layout, format }), { strict: true });
    expect(`${v3.formatMajor}.${v3.formatMinor}`).toBe(format);
    expect([...v3.ticks()].map(plain)).toEqual([...v2.ticks()].map(plain));
    const last = v2.lastTick;
    if (last === undefined) continue;
    for (const tick of [Math.floor(last / 2), last]) {
      const a = v2.stateAt(tick);
      const b = v3.stateAt(tick);
      expect([...b.entities.keys()].sort()).toEqual([...a.entities.keys()].sort());
      for (const id of a.entities.keys()) expect(b.viewOf(id)).toEqual(a.viewOf(id));
    }
  }
}

const id = fc.integer({ min: 0, max: 7 });
const coord = fc.integer({ min: -40, max: 40 }).map((v) => v / 4);
const radius = fc.integer({ min: 0, max: 24 }).map((v) => v / 4);
const op = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant('add' as const), id, x: coord, y: coord, r: radius, extra: radius }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('move' as const),
      id,
      x: coord,
      y: coord,
      z: fc.option(fc.integer({ min: -6, max: 6 })),
    }),
    weight: 3,
  },
  fc.record({ op: fc.constant('remove' as const), id }),
  fc.record({ op: fc.constant('radius' as const), id, r: radius, extra: radius }),
  fc.record({ op: fc.constant('roles' as const), id, watcher: fc.boolean(), marker: fc.boolean() }),
  fc.record({ op: fc.constant('height' as const), id, h: fc.constantFrom(0, 2, 5, Number.POSITIVE_INFINITY) }),
  fc.record({ op: fc.constant('respawn' as const), id, dx: fc.integer({ min: -4, max: 4 }), r: radius }),
  { arbitrary: fc.record({ op: fc.constant('tick' as const) }), weight: 3 },
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

/** A batched engine (with or without move events) driven by the ops, recorded. */
function engineRun(ops: readonly Op[], moveEvents: boolean): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched', moveEvents });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 10) });
  for (const o of [...ops, { op: 'tick' as const }]) {
    if (o.op === 'tick') recorder.tick();
    else if (o.op === 'add') {
      if (!world.has(o.id)) world.add(o.id, { x: o.x, y: o.y, viewRadius: o.r, leaveRadius: o.r + o.extra });
    } else if (!world.has(o.id)) continue;
    else if (o.op === 'remove') world.remove(o.id);
    else if (o.op === 'move') world.move(o.id, o.x, o.y, o.z ?? undefined);
    else if (o.op === 'radius') world.setRadius(o.id, o.r, o.r + o.extra);
    else if (o.op === 'roles') world.setRoles(o.id, { watcher: o.watcher, marker: o.marker });
    else if (o.op === 'height') world.setHeight(o.id, o.h, o.h);
    else {
      const { x, y } = world.position(o.id);
      world.remove(o.id);
      world.add(o.id, { x: x + o.dx / 4, y, viewRadius: o.r });
    }
  }
  recorder.close();
  return trace;
}

const mutation = fc.oneof(
  fc.record({ type: fc.constant('drop' as const), tick: fc.nat(), at: fc.nat() }),
  fc.record({
    type: fc.constant('extra' as const),
    tick: fc.nat(),
    kind: fc.integer({ min: 0, max: 2 }),
    w: id,
    t: id,
  }),
  fc.record({ type: fc.constant('duplicate' as const), tick: fc.nat(), at: fc.nat() }),
  fc.record({ type: fc.constant('delay' as const), tick: fc.nat(), at: fc.nat(), by: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ type: fc.constant('swap' as const), tick: fc.nat(), at: fc.nat(), with: fc.nat() }),
  fc.record({ type: fc.constant('reverse' as const), tick: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
type Event = [kind: number, watcher: number, target: number];

function toList(events: EventColumns): Event[] {
  const list: Event[] = [];
  for (let i = 0; i < events.count; i++) list.push([events.kinds[i]!, events.watchers[i]!, events.targets[i]!]);
  return list;
}

/** The ticks with their events mutated; event bases follow the new counts. */
function mutate(records: readonly TickRecord[], mutations: readonly Mutation[]): TickRecord[] {
  const lists = records.map((r) => toList(r.events));
  for (const m of mutations) {
    const i = m.tick % lists.length;
    const list = lists[i]!;
    if (m.type === 'extra') list.splice(list.length ? m.tick % (list.length + 1) : 0, 0, [m.kind, m.w, m.t]);
    if (list.length === 0 || m.type === 'extra') continue;
    if (m.type === 'reverse') {
      list.reverse();
      continue;
    }
    const at = m.at % list.length;
    if (m.type === 'drop') list.splice(at, 1);
    else if (m.type === 'duplicate') list.splice(at, 0, list[at]!);
    else if (m.type === 'delay') {
      const [event] = list.splice(at, 1);
      lists[Math.min(lists.length - 1, i + m.by)]!.push(event!);
    } else {
      const other = m.with % list.length;
      [list[at], list[other]] = [list[other]!, list[at]!];
    }
  }
  return withEventLists(records, lists);
}

describe('formats 3.0 and 3.1: events stored against the prediction', () => {
  it('reads a recorded engine run exactly as 2.2 does, and stores it in fewer bytes', () => {
    const trace = recordRun({ ticks: 150, entities: 80 });
    const records = [...trace.ticks()];
    expectSameReading(trace.header, records, false);
    expectSameReading(trace.header, records, true);
    const v2 = write(trace.header, records, { format: '2.2' });
    const v3 = write(trace.header, records, { format: '3.0' });
    expect(v3.length).toBeLessThan(v2.length);
    // The packer's workers see only finished chunk bytes: the same file with `background`.
    expect(write(trace.header, records, { format: '3.0', background: true })).toEqual(v3);
    const v31 = write(trace.header, records, { format: '3.1' });
    expect(v31.length).toBeLessThan(v3.length);
    expect(write(trace.header, records, { format: '3.1', background: true })).toEqual(v31);
  });

  it('takes ticks straight from the recorder attached to an engine (a tee into 2.2 and 3.0 writers)', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const targets = [new MemoryTarget(), new MemoryTarget()];
    const writers = [new TraceWriter(targets[0]!, { format: '2.2' }), new TraceWriter(targets[1]!, { format: '3.0' })];
    let time = 0;
    const recorder = recordWorld(
      world,
      {
        begin: (header) => {
          for (const w of writers) w.begin(header);
        },
        writeTick: (record) => {
          for (const w of writers) w.writeTick(record);
        },
      },
      { now: () => (time += 10) },
    );
    for (let i = 0; i < 40; i++) world.add(i, { x: (i * 7) % 50, y: (i * 13) % 50, viewRadius: 12, leaveRadius: 15 });
    for (let t = 0; t < 30; t++) {
      for (let i = 0; i < 40; i++) {
        if (world.has(i)) world.move(i, ((i * 7 + t * (i % 5)) % 50) + 0.3, (i * 13) % 50);
      }
      if (t % 9 === 4) world.remove(t);
      recorder.tick();
    }
    recorder.close();
    for (const w of writers) w.close();
    const [v2, v3] = targets.map((t) => readTraceBytes(t.bytes(), { strict: true }));
    expect(v3!.formatMajor).toBe(3);
    expect([...v3!.ticks()].map(plain)).toEqual([...v2!.ticks()].map(plain));
    expect(targets[1]!.bytes().length).toBeLessThan(targets[0]!.bytes().length);
  });

  it("predicts a correct engine's events exactly (positions on the quantum): nothing to store", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), fc.boolean(), (ops, moveEvents) => {
        const predictor = new EventPredictor();
        for (const record of engineRun(ops, moveEvents).ticks()) {
          predictor.begin(record.spawns, record.updates, record.moves, record.despawns);
          const actual = toList(record.events);
          const predicted = toList(
            predictor.predict(
              actual.some((e) => e[0] === 2),
              () => {},
              () => {},
            ),
          );
          const key = (e: Event) => e.join(',');
          expect({ tick: record.tick, events: predicted.map(key).sort() }).toEqual({
            tick: record.tick,
            events: actual.map(key).sort(),
          });
          predictor.finish(record.events, record.despawns);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips any event stream, correct or mutated, tick for tick', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        fc.array(mutation, { maxLength: 8 }),
        fc.boolean(),
        (ops, moveEvents, mutations, small) => {
          const trace = engineRun(ops, moveEvents);
          const records = [...trace.ticks()];
          expectSameReading(trace.header, mutations.length ? mutate(records, mutations) : records, small);
        },
      ),
      { numRuns: 150 },
    );
  });
});
