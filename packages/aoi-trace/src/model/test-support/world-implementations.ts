// Every implementation of the trace world's rules (world-rules.ts), behind one small contract: feed ticks in order,
// get back whether each was accepted and the world after the last accepted one, as plain sorted data. The
// conformance suite (world-rules.conformance.test.ts) runs the same tick sequences through all of them.

import { TraceError, TraceErrorCode } from '../../errors.js';
import { ByteReader } from '../../format/byte-reader.js';
import { ByteWriter } from '../../format/byte-writer.js';
import { ChunkBudget } from '../../format/limits.js';
import { PositionTable } from '../../format/position-table.js';
import { Quantizer } from '../../format/quantizer.js';
import { ReplayWorld } from '../../format/replay-world.js';
import { StringTableReader, StringTableWriter } from '../../format/string-table.js';
import { TickDecoder } from '../../format/tick-decoder.js';
import { TickEncoder } from '../../format/tick-encoder.js';
import { applyViewChanges } from '../../format/view-log.js';
import { ViewTable } from '../../format/view-table.js';
import { type EntityMeta, WorldMirror } from '../../format/world-mirror.js';
import { TickValidator } from '../../ndjson/tick-validator.js';
import { TableWorldState } from '../table-world-state.js';
import type { TickRecord, TraceHeader } from '../types.js';
import { WorldState } from '../world-state.js';

/** An entity as every implementation can report it; `x`/`y` only where it keeps positions. */
export type PlainEntity = EntityMeta & { x?: number; y?: number };

export interface PlainWorld {
  tick: number;
  entities: PlainEntity[];
  /** [watcher, targets ascending], watchers ascending, non-empty views only. */
  views: [number, number[]][];
}

export interface RunResult {
  /** Ticks accepted before the first rejection (all of them when `error` is undefined). */
  accepted: number;
  error?: TraceError;
  /** The world after the last accepted tick. */
  world: PlainWorld;
}

export interface WorldImplementation {
  name: string;
  /** The code a broken rule is reported with: a file's bytes are CORRUPT, a producer's record is INVALID_RECORD. */
  rejectCode: TraceErrorCode;
  /** Whether the world it reports has positions. */
  positions: boolean;
  run(ticks: readonly TickRecord[]): RunResult;
}

export const HEADER: TraceHeader = {
  source: 'world-rules conformance',
  startTime: 0,
  regionSize: 16,
  quantum: 1 / 1024,
  epsilon: 0,
  tagNames: [],
  attributes: {},
};

const QUANTIZER = new Quantizer(HEADER.quantum);

/** Applies ticks through `step` until one throws a TraceError, snapshotting after each accepted tick. */
function runSteps(ticks: readonly TickRecord[], step: (record: TickRecord) => void, snapshot: () => PlainWorld) {
  let world = snapshot();
  for (const [i, record] of ticks.entries()) {
    try {
      step(record);
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      return { accepted: i, error, world };
    }
    world = snapshot();
  }
  return { accepted: ticks.length, world };
}

function plainState(state: WorldState): PlainWorld {
  return {
    tick: state.tick,
    entities: [...state.entities.values()]
      .map(({ id, viewRadius, leaveRadius, watcher, marker, tags, spawnTick, x, y }) => ({
        ...{ id, viewRadius, leaveRadius, watcher, marker, tags: [...tags], spawnTick, x, y },
      }))
      .sort((a, b) => a.id - b.id),
    views: [...state.views.keys()].sort((a, b) => a - b).map((w) => [w, state.viewOf(w)]),
  };
}

function plainViewTable(views: ViewTable): [number, number[]][] {
  return [...views.sortedWatchers()].map((w) => [w, [...views.targetsOf(views.slotOf(w))]]);
}

function plainEntities(entities: Iterable<PlainEntity>, table?: PositionTable): PlainEntity[] {
  return [...entities]
    .map(({ id, viewRadius, leaveRadius, watcher, marker, tags, spawnTick }) => {
      const entity: PlainEntity = { id, viewRadius, leaveRadius, watcher, marker, tags: [...tags], spawnTick };
      if (table === undefined) return entity;
      const slot = table.slotOf(id);
      return { ...entity, x: QUANTIZER.decode(table.qx[slot]!), y: QUANTIZER.decode(table.qy[slot]!) };
    })
    .sort((a, b) => a.id - b.id);
}

const worldState: WorldImplementation = {
  name: 'WorldState',
  rejectCode: TraceErrorCode.InvalidRecord,
  positions: true,
  run(ticks) {
    const state = new WorldState();
    return runSteps(
      ticks,
      (record) => state.apply(record),
      () => plainState(state),
    );
  },
};

/** The detectors' world (views in one table): read through its Map view, checked against the table itself. */
const tableWorldState: WorldImplementation = {
  name: 'TableWorldState',
  rejectCode: TraceErrorCode.InvalidRecord,
  positions: true,
  run(ticks) {
    const state = new TableWorldState();
    return runSteps(
      ticks,
      (record) => state.apply(record),
      () => {
        const plain = plainState(state);
        const table = plainViewTable(state.table);
        const views = [...state.views].map(([w, view]): [number, number[]] => [w, [...view]]);
        if (JSON.stringify(table) !== JSON.stringify(plain.views) || JSON.stringify(views) !== JSON.stringify(table))
          throw new Error(`TableWorldState: its views Map and table disagree at tick ${state.tick}.`);
        if (state.pairs !== state.table.pairs) throw new Error('TableWorldState: pairs miscounted.');
        // sees() reads the table: it agrees with the Map view on every pair in view and on their reverses.
        for (const [w, targets] of views)
          for (const t of targets)
            if (!state.sees(w, t) || state.sees(t, w) !== (state.views.get(t)?.has(w) === true))
              throw new Error(`TableWorldState: sees(${w}, ${t}) disagrees with its views at tick ${state.tick}.`);
        return plain;
      },
    );
  },
};

const validator: WorldImplementation = {
  name: 'validateTick (TickValidator)',
  rejectCode: TraceErrorCode.InvalidRecord,
  positions: true,
  run(ticks) {
    const validator = new TickValidator(HEADER);
    const step = (record: TickRecord) => {
      const error = validator.check(record);
      if (error !== undefined) throw error;
      validator.apply(record);
    };
    return runSteps(ticks, step, () => plainState(validator.state));
  },
};

/** ReplayWorld's world, with positions from `table` when given. */
function plainReplay(world: ReplayWorld, table?: PositionTable): PlainWorld {
  return {
    tick: world.tick,
    entities: plainEntities(world.entities.values(), table),
    views: plainViewTable(world.views),
  };
}

const replayWorld: WorldImplementation = {
  name: 'ReplayWorld',
  rejectCode: TraceErrorCode.InvalidRecord,
  positions: false,
  run(ticks) {
    const world = new ReplayWorld();
    return runSteps(
      ticks,
      (record) => world.apply(record),
      () => plainReplay(world),
    );
  },
};

/** A tick encoder over `mirror` whose chunk goes on across calls; each call returns one tick's bytes. */
function tickBytes(mirror: WorldMirror): (record: TickRecord) => Uint8Array {
  const encoder = new TickEncoder(mirror, QUANTIZER, 0);
  const strings = new StringTableWriter();
  const context = { prevTick: -1, prevTime: 0, nextEventBase: 0 };
  return (record) => {
    const out = new ByteWriter();
    encoder.encode(out, strings, record, context);
    return out.bytes.subarray(0, out.length);
  };
}

/** The writer's side: the tick encoder and its WorldMirror, views rebuilt from the mirror's view log. */
const mirror: WorldImplementation = {
  name: 'WorldMirror (TickEncoder)',
  rejectCode: TraceErrorCode.InvalidRecord,
  positions: true,
  run(ticks) {
    const mirror = new WorldMirror();
    const encode = tickBytes(mirror);
    const views = new ViewTable();
    const snapshot = () => {
      applyViewChanges(views, mirror.viewLog.take());
      const entities = plainEntities(mirror.meta.values(), mirror.positions);
      return { tick: mirror.tick, entities, views: plainViewTable(views) };
    };
    return runSteps(ticks, encode, snapshot);
  },
};

/**
 * The reader's side: the tick decoder and the ReplayWorld behind stateAt. Each tick is encoded against a mirror
 * bent to accept it (an id the tick needs is added, an id it spawns is taken out), so a file can hold what the
 * encoder would refuse, as a damaged or hostile file does; the decoder must then refuse it.
 */
const decoder: WorldImplementation = {
  name: 'TickDecoder + ReplayWorld',
  rejectCode: TraceErrorCode.Corrupt,
  positions: true,
  run(ticks) {
    const lenient = new WorldMirror();
    const encode = tickBytes(lenient);
    const table = new PositionTable();
    const tickDecoder = new TickDecoder(table, QUANTIZER);
    const strings = new StringTableReader();
    const context = { prevTick: -1, prevTime: 0, nextEventBase: 0 };
    const world = new ReplayWorld();
    const step = (record: TickRecord) => {
      bend(lenient, record);
      const input = new ByteReader(encode(record), 0);
      const budget = new ChunkBudget((what) => input.limit(what));
      world.apply(tickDecoder.decode(input, strings, context, budget));
    };
    return runSteps(ticks, step, () => plainReplay(world, table));
  },
};

/** Makes `record` valid for the mirror's entity rules (only the encoder's copy; the decoder keeps the truth). */
function bend(mirror: WorldMirror, record: TickRecord): void {
  const live = new Set(mirror.meta.keys());
  const need = (id: number) => {
    if (live.has(id)) return;
    live.add(id);
    mirror.meta.set(id, { id, viewRadius: 0, leaveRadius: 0, watcher: false, marker: false, tags: [], spawnTick: 0 });
    mirror.positions.add(id, 0, 0);
  };
  for (const spawn of record.spawns) {
    if (spawn.respawn === true) need(spawn.id);
    else if (live.delete(spawn.id)) {
      mirror.meta.delete(spawn.id);
      mirror.positions.remove(spawn.id);
    }
  }
  const spawned = new Set(record.spawns.map((s) => s.id));
  for (const update of record.updates) if (!spawned.has(update.id)) need(update.id);
  for (let i = 0; i < record.moves.count; i++) if (!spawned.has(record.moves.ids[i]!)) need(record.moves.ids[i]!);
  for (const id of record.despawns) if (!spawned.has(id)) need(id);
}

export const WORLD_IMPLEMENTATIONS: readonly WorldImplementation[] = [
  worldState,
  tableWorldState,
  validator,
  replayWorld,
  mirror,
  decoder,
];
