import { describe, expect, it } from 'vitest';
import { TraceErrorCode } from '../errors.js';
import { emptyEvents, emptyMoves, pushEvent, pushMove } from './columns.js';
import { tickRecord } from './test-support/tick-records.js';
import type { EntitySpawn, TickRecord, TraceHeader } from './types.js';
import { type TickErrorDetails, type ValidateOptions, validateTick } from './validate-tick.js';
import { WorldState } from './world-state.js';

const header: TraceHeader = {
  source: 'test',
  startTime: 0,
  regionSize: 64,
  quantum: 1 / 1024,
  epsilon: 0,
  tagNames: ['player', 'npc'],
  attributes: {},
};
const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

const spawn = (id: number, x = 0, y = 0): EntitySpawn => ({
  id,
  x,
  y,
  viewRadius: 10,
  leaveRadius: 12,
  watcher: true,
  marker: true,
  tags: ['player'],
  cause: -1,
});

const record = (tick: number, parts: Partial<TickRecord> = {}): TickRecord =>
  tickRecord(tick, { time: 1000 + tick, ...parts });

function moves(...items: [id: number, x: number, y: number, teleport?: boolean, cause?: number][]) {
  const columns = emptyMoves();
  for (const [id, x, y, teleport = false, cause = -1] of items) pushMove(columns, id, x, y, teleport, cause);
  return columns;
}

/** A world with entities 1 and 2 at (0,0) and (5,0) after tick 0. */
function world(): WorldState {
  const state = new WorldState();
  const events = emptyEvents();
  pushEvent(events, 0, 1, 2);
  state.apply(record(0, { spawns: [spawn(1), spawn(2, 5, 0)], events }));
  return state;
}

function expectInvalid(record: TickRecord, path: string, entity?: number, options?: ValidateOptions, state = world()) {
  const before = JSON.stringify([...state.entities.values()]);
  const error = validateTick(state, header, record, options);
  expect(error?.code).toBe(TraceErrorCode.InvalidRecord);
  expect(error?.details).toMatchObject({ tick: record.tick, path });
  expect((error!.details as TickErrorDetails).entity).toBe(entity);
  expect(error?.message).toContain(path);
  // Validation never changes the state.
  expect(JSON.stringify([...state.entities.values()])).toBe(before);
  return error!;
}

describe('validateTick', () => {
  it('accepts a record that can follow the state, including events about entities despawned in the tick', () => {
    const events = emptyEvents();
    pushEvent(events, 1, 1, 2);
    pushEvent(events, 0, 3, 1);
    const next = record(1, {
      span,
      messages: [{ name: 'move', span, entity: 1 }],
      spawns: [spawn(3, 1, 1)],
      updates: [{ id: 3, viewRadius: 4, cause: 0 }],
      moves: moves([1, 3, 4, false, 0], [3, 2, 2]),
      despawns: [2],
      events,
    });
    expect(validateTick(world(), header, next)).toBeUndefined();
  });

  it('rejects ticks that do not increase and bad numbers', () => {
    expectInvalid(record(0), '$.tick');
    expectInvalid(record(1.5), '$.tick');
    expectInvalid({ ...record(1), time: Number.NaN }, '$.time');
    expectInvalid({ ...record(1), eventBase: -1 }, '$.eventBase');
    expectInvalid(record(1, { moves: moves([1, Number.POSITIVE_INFINITY, 0]) }), '$.moves[0].x', 1);
    expectInvalid(record(1, { spawns: [{ ...spawn(3), y: Number.NaN }] }), '$.spawns[0].y', 3);
  });

  it('rejects bad ids, radii, roles, tags and causes', () => {
    expectInvalid(record(1, { spawns: [spawn(2 ** 31)] }), '$.spawns[0].id');
    expectInvalid(record(1, { spawns: [{ ...spawn(3), viewRadius: -1 }] }), '$.spawns[0].viewRadius', 3);
    expectInvalid(record(1, { spawns: [{ ...spawn(3), leaveRadius: 5 }] }), '$.spawns[0].leaveRadius', 3);
    // An update is checked against the radii the entity already has.
    expectInvalid(record(1, { updates: [{ id: 1, viewRadius: 20, cause: -1 }] }), '$.updates[0].leaveRadius', 1);
    expectInvalid(record(1, { spawns: [{ ...spawn(3), tags: ['dragon'] }] }), '$.spawns[0].tags[0]', 3);
    expect(validateTick(world(), header, record(1, { spawns: [{ ...spawn(3), tags: ['bit7'] }] }))).toBeUndefined();
    expectInvalid(record(1, { spawns: [{ ...spawn(3), cause: 0 }] }), '$.spawns[0].cause', 3);
    expectInvalid(record(1, { moves: moves([1, 1, 1, false, 2]) }), '$.moves[0].cause', 1);
    const watcher = { ...spawn(3), watcher: 'yes' as unknown as boolean };
    expectInvalid(record(1, { spawns: [watcher] }), '$.spawns[0].watcher', 3);
  });

  it('rejects duplicate spawns and changes to unknown entities', () => {
    expectInvalid(record(1, { spawns: [spawn(1)] }), '$.spawns[0].id', 1);
    expectInvalid(record(1, { spawns: [spawn(3), spawn(3)] }), '$.spawns[1].id', 3);
    expectInvalid(record(1, { updates: [{ id: 9, cause: -1 }] }), '$.updates[0].id', 9);
    expectInvalid(record(1, { moves: moves([1, 0, 0], [9, 0, 0]) }), '$.moves[1].id', 9);
    expectInvalid(record(1, { despawns: [9] }), '$.despawns[0]', 9);
    expectInvalid(record(1, { despawns: [1, 1] }), '$.despawns[1]', 1);
  });

  it('rejects an entity moved twice in one tick, naming the second move', () => {
    const error = expectInvalid(record(1, { moves: moves([1, 0, 0], [2, 0, 0], [1, 1, 1]) }), '$.moves[2].id', 1);
    expect(error.message).toContain('$.moves[0]');
  });

  it('rejects events about unknown entities and unknown kinds', () => {
    const unknown = emptyEvents();
    pushEvent(unknown, 0, 1, 9);
    expectInvalid(record(1, { events: unknown }), '$.events[0].target', 9);
    const kind = emptyEvents();
    pushEvent(kind, 0, 1, 2);
    pushEvent(kind, 3, 1, 2);
    expectInvalid(record(1, { events: kind }), '$.events[1].kind');
    // An entity despawned in an earlier tick is unknown to later events.
    const state = world();
    state.apply(record(1, { despawns: [2] }));
    const late = emptyEvents();
    pushEvent(late, 1, 1, 2);
    expectInvalid(record(2, { events: late }), '$.events[0].target', 2, {}, state);
  });

  it('rejects malformed span ids', () => {
    expectInvalid(record(1, { span: { ...span, traceId: span.traceId.toUpperCase() } }), '$.span.traceId');
    expectInvalid(record(1, { span: { ...span, spanId: '0000000000000000' } }), '$.span.spanId');
    const message = { name: 'm', span, parent: { traceId: span.traceId, spanId: 'xyz' } };
    expectInvalid(record(1, { messages: [message] }), '$.messages[0].parent.spanId');
  });

  it('flags positions out of bounds and jumps faster than maxSpeed, but not teleports', () => {
    const options: ValidateOptions = { bounds: [-100, -100, 100, 100], maxSpeed: 10 };
    expectInvalid(record(1, { moves: moves([1, 101, 0]) }), '$.moves[0].x', 1, options);
    expectInvalid(record(1, { spawns: [spawn(3, 0, -200)] }), '$.spawns[0].y', 3, options);
    expectInvalid(record(1, { moves: moves([1, 11, 0]) }), '$.moves[0]', 1, options);
    expect(validateTick(world(), header, record(1, { moves: moves([1, 90, 0, true]) }), options)).toBeUndefined();
    // Speed is per tick: three ticks later, 30 units is fine.
    expect(validateTick(world(), header, record(3, { moves: moves([1, 30, 0]) }), options)).toBeUndefined();
  });
});
