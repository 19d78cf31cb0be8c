// One suite over every implementation of the trace world's rules (WorldState, validateTick, ReplayWorld, the
// writer's WorldMirror, the tick decoder): the same tick sequences, valid and each kind of invalid, must get the
// same accept/reject decision, the same broken rule and the same world after every accepted tick.

import { describe, expect, it } from 'vitest';
import { TraceErrorCode } from '../errors.js';
import { emptyEvents, emptyMoves, pushEvent, pushMove } from './columns.js';
import {
  type PlainWorld,
  WORLD_IMPLEMENTATIONS,
  type WorldImplementation,
} from './test-support/world-implementations.js';
import type { EntitySpawn, EntityUpdate, TickRecord } from './types.js';
import { ruleMessage, WorldRule } from './world-rules.js';

interface TickParts {
  spawns?: EntitySpawn[];
  updates?: EntityUpdate[];
  moves?: [id: number, x: number, y: number][];
  /** [kind, watcher, target]: 0 enter, 1 exit, 2 move. */
  events?: [number, number, number][];
  despawns?: number[];
}

function tick(t: number, parts: TickParts = {}): TickRecord {
  const moves = emptyMoves();
  for (const [id, x, y] of parts.moves ?? []) pushMove(moves, id, x, y, false, -1);
  const events = emptyEvents();
  for (const [kind, watcher, target] of parts.events ?? []) pushEvent(events, kind, watcher, target);
  return {
    tick: t,
    time: 1000 + t * 50,
    // Ids that never overlap (fewer than 100 events a tick).
    eventBase: t * 100,
    messages: [],
    spawns: parts.spawns ?? [],
    updates: parts.updates ?? [],
    moves,
    despawns: parts.despawns ?? [],
    events,
  };
}

const spawn = (id: number, x = id, y = 0, extra: Partial<EntitySpawn> = {}): EntitySpawn => ({
  id,
  x,
  y,
  viewRadius: 10,
  leaveRadius: 12,
  watcher: true,
  marker: true,
  tags: [],
  cause: -1,
  ...extra,
});

/** Three entities that see each other, as most cases begin. */
const start = tick(0, {
  spawns: [spawn(1), spawn(2), spawn(3, 3, 0, { watcher: false })],
  events: [
    [0, 1, 2],
    [0, 1, 3],
    [0, 2, 1],
    [0, 2, 3],
  ],
});

interface Case {
  name: string;
  ticks: TickRecord[];
  /** Absent: every tick is accepted. `at`: the index of the first tick refused. */
  reject?: { at: number; rule?: WorldRule; entity?: number; message?: RegExp };
  /** Implementations that decide otherwise, by design, and why. */
  skip?: Record<string, string>;
}

const MOVES_BY_DECODER = {
  ReplayWorld: "the tick decoder in front of it checks moves and keeps the positions (see 'TickDecoder + ReplayWorld')",
};
const NO_TICK_ORDER_IN_BYTES = 'the encoding stores tick deltas >= 1: a file cannot hold a tick that does not increase';

const CASES: Case[] = [
  {
    name: 'spawns, enters, moves, radius and role updates, exits, despawns',
    ticks: [
      start,
      tick(1, {
        moves: [
          [1, 1.5, 2],
          [3, 4, -1],
        ],
        updates: [{ id: 2, viewRadius: 4, leaveRadius: 6, cause: -1 }],
      }),
      tick(2, { updates: [{ id: 3, watcher: true, marker: false, tags: ['red'], cause: -1 }], events: [[1, 1, 3]] }),
      tick(4, {
        spawns: [spawn(9, 7, 7)],
        events: [
          [0, 9, 1],
          [2, 1, 2],
        ],
        despawns: [2],
      }),
      tick(5, { despawns: [9, 1] }),
    ],
  },
  {
    name: 'an enter of a pair already in view and an exit of a pair not in view change nothing',
    ticks: [
      start,
      tick(1, {
        events: [
          [0, 1, 2],
          [1, 3, 1],
          [1, 1, 3],
          [1, 1, 3],
        ],
      }),
    ],
  },
  {
    name: "a despawn drops the despawned watcher's view, not the views that see it",
    ticks: [start, tick(1, { despawns: [2] }), tick(2, { spawns: [spawn(2, 5, 5)] })],
  },
  {
    name: 'a respawn replaces the entity and its view; its move starts from the new spawn',
    ticks: [
      start,
      tick(1, {
        spawns: [spawn(2, 40, 40, { respawn: true, viewRadius: 3, leaveRadius: 3, marker: false })],
        moves: [[2, 41, 40]],
        events: [
          [1, 1, 2],
          [0, 2, 3],
        ],
      }),
      tick(2, { updates: [{ id: 2, marker: true, cause: -1 }] }),
    ],
  },
  {
    name: 'a spawn of an entity that already exists',
    ticks: [start, tick(1, { spawns: [spawn(2)] })],
    reject: { at: 1, rule: WorldRule.SpawnExists, entity: 2 },
  },
  {
    name: 'a respawn of an entity that does not exist',
    ticks: [start, tick(1, { spawns: [spawn(7, 0, 0, { respawn: true })] })],
    reject: { at: 1, rule: WorldRule.RespawnMissing, entity: 7 },
  },
  {
    name: 'an update of an entity that does not exist',
    ticks: [start, tick(1, { updates: [{ id: 8, viewRadius: 2, cause: -1 }] })],
    reject: { at: 1, rule: WorldRule.UpdateMissing, entity: 8 },
  },
  {
    name: 'a move of an entity that does not exist',
    ticks: [
      start,
      tick(1, {
        moves: [
          [1, 2, 2],
          [5, 1, 1],
        ],
      }),
    ],
    reject: { at: 1, rule: WorldRule.MoveMissing, entity: 5 },
    skip: MOVES_BY_DECODER,
  },
  {
    name: 'a move of an entity despawned a tick earlier',
    ticks: [start, tick(1, { despawns: [3] }), tick(2, { moves: [[3, 1, 1]] })],
    reject: { at: 2, rule: WorldRule.MoveMissing, entity: 3 },
    skip: MOVES_BY_DECODER,
  },
  {
    name: 'a despawn of an entity that does not exist',
    ticks: [start, tick(1, { despawns: [6] })],
    reject: { at: 1, rule: WorldRule.DespawnMissing, entity: 6 },
  },
  {
    name: 'a tick that does not follow the last one',
    ticks: [start, tick(3), tick(3)],
    reject: { at: 2, message: /tick 3 does not follow tick 3|greater than the previous tick 3/ },
    skip: { 'TickDecoder + ReplayWorld': NO_TICK_ORDER_IN_BYTES },
  },
];

describe.each(WORLD_IMPLEMENTATIONS.map((impl) => [impl.name, impl] as const))('world rules: %s', (_name, impl) => {
  for (const c of CASES) {
    const skipped = c.skip?.[impl.name];
    it.skipIf(skipped !== undefined)(c.name, () => {
      const result = impl.run(c.ticks);
      const accepted = c.reject?.at ?? c.ticks.length;
      expect(result.accepted).toBe(accepted);
      // The world after the last accepted tick is the reference's (WorldState with the invalid tick left out).
      expect(result.world).toEqual(reference(c.ticks.slice(0, accepted), impl));
      if (c.reject === undefined) {
        expect(result.error).toBeUndefined();
        return;
      }
      const { error } = result;
      expect(error?.code).toBe(c.reject.rule === undefined ? TraceErrorCode.InvalidRecord : impl.rejectCode);
      if (impl.rejectCode === TraceErrorCode.InvalidRecord) expect(error?.details.tick).toBe(c.ticks[accepted]!.tick);
      if (c.reject.message !== undefined) expect(error?.message).toMatch(c.reject.message);
      const rule = c.reject.rule;
      if (rule !== undefined) {
        const named = [ruleMessage(rule, c.reject.entity), ruleMessage(rule)];
        expect(named.some((text) => error?.message.includes(text))).toBe(true);
        if (impl.rejectCode === TraceErrorCode.InvalidRecord) expect(error?.details.entity).toBe(c.reject.entity);
      }
    });
  }
});

/** WorldState over the accepted ticks, trimmed to what `impl` reports. */
function reference(ticks: readonly TickRecord[], impl: WorldImplementation): PlainWorld {
  const world = WORLD_IMPLEMENTATIONS[0]!.run(ticks).world;
  if (impl.positions) return world;
  return { ...world, entities: world.entities.map(({ x: _x, y: _y, ...entity }) => entity) };
}
