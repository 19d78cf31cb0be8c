// Runs a recording's movements through @lanes/aoi again, under the recorded or other settings: the what-if.

import { AoiWorld, type EntityOptions } from '@lanes/aoi';
import { isVerticalMove, leaveHeightOf, viewHeightOf, zOf } from '../detect/cylinder.js';
import { TraceError, TraceErrorCode } from '../errors.js';
import { copyEvents, copyMoves } from '../model/columns.js';
import { type HeightFields, heightOf } from '../model/height.js';
import type {
  EntitySpawn,
  EntityUpdate,
  TickRange,
  TickRecord,
  TraceHeader,
  TraceInput,
  TraceSink,
} from '../model/types.js';
import { ENGINE_ATTRIBUTES } from '../record/engine-settings.js';
import { recordWorld, type TraceRecorder } from '../record/recorder.js';
import { tagMaskOf } from '../record/tag-names.js';
import {
  type ReplayOverrides,
  type ResolvedReplaySettings,
  replayRadii,
  resolveReplaySettings,
  worldOptionsOf,
} from './settings.js';

/** Header attribute of a replayed trace: the overrides it was run with, as JSON. */
export const REPLAY_ATTRIBUTE = 'replay.overrides';

/** What one pass of a replay cost and made (for the CLI's summary and the sweep's table). */
export interface ReplayRunStats {
  ticks: number;
  /** Events the replay's engine produced. */
  events: number;
  /** Events the input recorded, over the same ticks. */
  recordedEvents: number;
  /** Time in engine calls and `tick()`, ms (wall clock: a measurement, not a result). */
  engineMs: number;
}

/**
 * A recording replayed through the engine, as a {@link TraceInput}: each `ticks()` pass reads the input once, tick
 * by tick, applies the tick's changes to a batched world (respawned ids' old entities removed, spawns in recorded
 * order, radius, role and half-height changes, moves and teleports with their vertical moves, despawns), ticks it, and yields what the existing recorder
 * makes of it, with the input's tick number, time, span, messages and causes. Memory: the world and one tick.
 *
 * Radius overrides replace every entity's radii, at its spawn and at every recorded radius change. Interest masks
 * are not recorded: every watcher sees every tag (as ground truth assumes).
 */
export class EngineReplay implements TraceInput {
  readonly header: TraceHeader;
  readonly settings: ResolvedReplaySettings;
  /** The last finished pass's figures (zeros before one finished). */
  stats: ReplayRunStats = { ticks: 0, events: 0, recordedEvents: 0, engineMs: 0 };
  private readonly input: TraceInput;
  private readonly tagNames: string[];
  private readonly attributes: Record<string, string>;

  constructor(input: TraceInput, overrides: ReplayOverrides = {}) {
    this.input = input;
    this.settings = resolveReplaySettings(input.header, overrides);
    this.tagNames = [...input.header.tagNames];
    // The recording's own attributes (scenario, seed, build...), without its engine settings: the new world's go in.
    this.attributes = Object.fromEntries(
      Object.entries(input.header.attributes).filter(
        ([key]) => !Object.values(ENGINE_ATTRIBUTES).includes(key as never),
      ),
    );
    this.attributes[REPLAY_ATTRIBUTE] = JSON.stringify(overrides);
    let header: TraceHeader | undefined;
    this.open({ begin: (h) => (header = h), writeTick: () => {} }).recorder.close();
    this.header = header!;
  }

  *ticks(range: TickRange = {}): Iterable<TickRecord> {
    for (const [, replayed] of this.pairs(range)) yield replayed;
  }

  /** Each input tick with its replay, in order: the input is read once. */
  *pairs(range: TickRange = {}): Iterable<[original: TickRecord, replayed: TickRecord]> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    // The recorder empties its columns when endTick returns: the sink keeps a copy for the consumer.
    let produced: TickRecord | undefined;
    const keep = (record: TickRecord) => {
      produced = { ...record, moves: copyMoves(record.moves), events: copyEvents(record.events) };
    };
    const { world, recorder } = this.open({ begin: () => {}, writeTick: keep });
    const run = new ReplayStep(world, this.settings, this.tagNames);
    const stats: ReplayRunStats = { ticks: 0, events: 0, recordedEvents: 0, engineMs: 0 };
    try {
      for (const record of this.input.ticks(range.to === undefined ? {} : { to: range.to })) {
        const start = performance.now();
        run.apply(record);
        const batch = world.tick();
        stats.engineMs += performance.now() - start;
        recorder.endTick({ time: record.time, ...(record.span ? { span: record.span } : {}) });
        stats.ticks++;
        stats.events += batch.count;
        stats.recordedEvents += record.events.count;
        if (record.tick >= from) yield [record, restoreContext(produced!, record)];
      }
    } finally {
      recorder.close();
    }
    this.stats = stats;
  }

  /** Streams the whole replay into `sink` (an .aoitrace writer, say). */
  writeTo(sink: TraceSink): ReplayRunStats {
    sink.begin(this.header);
    for (const record of this.ticks()) sink.writeTick(record);
    return this.stats;
  }

  private open(sink: TraceSink): { world: AoiWorld; recorder: TraceRecorder } {
    const world = new AoiWorld(worldOptionsOf(this.settings));
    const { header } = this.input;
    const recorder = recordWorld(world, sink, {
      source: `replay of ${header.source} (@lanes/aoi ${this.settings.algorithm})`,
      regionSize: header.regionSize,
      quantum: header.quantum,
      epsilon: header.epsilon,
      tagNames: this.tagNames,
      attributes: this.attributes,
      now: () => header.startTime,
    });
    return { world, recorder };
  }
}

/** An entity's recorded radii, roles and height fields, as the replay last applied them. */
interface Recorded extends HeightFields {
  view: number;
  leave: number;
  watcher: boolean;
  marker: boolean;
  tags: number;
}

/** Applies one recorded tick's changes to the world, with the radius rule; engine errors name the tick. */
class ReplayStep {
  /** Per live entity (a partial change needs the rest; a change that changes nothing is not passed on). */
  private readonly entities = new Map<number, Recorded>();
  /** This tick's vertical moves (format 2.2 records them as updates of z): applied with the entity's move. */
  private readonly lifts = new Map<number, number>();

  constructor(
    private readonly world: AoiWorld,
    private readonly settings: ResolvedReplaySettings,
    private readonly tagNames: string[],
  ) {}

  apply(record: TickRecord): void {
    if (record.resync !== undefined) {
      throw new TraceError(
        TraceErrorCode.InvalidRecord,
        `tick ${record.tick}: ticks were lost before it (${record.resync.reason}); a replay needs every tick from the start.`,
        { tick: record.tick },
      );
    }
    try {
      this.changes(record);
    } catch (error) {
      if (error instanceof TraceError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new TraceError(TraceErrorCode.InvalidRecord, `tick ${record.tick}: the engine refused it: ${message}`, {
        tick: record.tick,
      });
    }
  }

  private changes(record: TickRecord): void {
    const world = this.world;
    for (const spawn of record.spawns) if (spawn.respawn === true) world.remove(spawn.id);
    for (const spawn of record.spawns) this.spawn(spawn);
    for (const update of record.updates) this.update(update);
    const { ids, xs, ys, teleports, count } = record.moves;
    const lifts = this.lifts;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      const z = lifts.get(id);
      if (z !== undefined) lifts.delete(id);
      if (teleports[i] === 1) world.teleport(id, xs[i]!, ys[i]!, z);
      else world.move(id, xs[i]!, ys[i]!, z);
    }
    // A vertical move without a move of x, y (the recorder writes both; another producer may not).
    for (const [id, z] of lifts) {
      const { x, y } = world.position(id);
      world.move(id, x, y, z);
    }
    lifts.clear();
    for (const id of record.despawns) {
      world.remove(id);
      this.entities.delete(id);
    }
  }

  private spawn(spawn: EntitySpawn): void {
    const entity: Recorded = {
      view: spawn.viewRadius,
      leave: spawn.leaveRadius,
      watcher: spawn.watcher,
      marker: spawn.marker,
      tags: tagMaskOf(spawn.tags, this.tagNames),
      ...heightOf(spawn),
    };
    this.entities.set(spawn.id, entity);
    const { view, leave } = replayRadii(this.settings.radii, entity.view, entity.leave);
    const options: EntityOptions = { x: spawn.x, y: spawn.y, viewRadius: view, leaveRadius: leave, ...heightOf(spawn) };
    this.world.add(spawn.id, { ...options, watcher: entity.watcher, marker: entity.marker, tags: entity.tags });
  }

  private update(update: EntityUpdate): void {
    const id = update.id;
    const entity = this.entities.get(id);
    if (entity === undefined) {
      throw new TraceError(TraceErrorCode.InvalidRecord, `update of entity ${id}, which does not exist.`, {
        entity: id,
      });
    }
    const rule = this.settings.radii;
    const view = update.viewRadius ?? entity.view;
    const leave = update.leaveRadius ?? (update.viewRadius === undefined ? entity.leave : view);
    const before = replayRadii(rule, entity.view, entity.leave);
    const after = replayRadii(rule, view, leave);
    const watcher = update.watcher ?? entity.watcher;
    const marker = update.marker ?? entity.marker;
    const tags = update.tags === undefined ? entity.tags : tagMaskOf(update.tags, this.tagNames);
    const roles = watcher !== entity.watcher || marker !== entity.marker || tags !== entity.tags;
    // The recorder stores whole snapshots, so only what differs is passed on (a change the overrides make void is
    // not); an update that changes nothing was a call that changed nothing, and is passed on as one.
    const radii = view !== entity.view || leave !== entity.leave;
    const heights = this.height(id, entity, update);
    Object.assign(entity, { view, leave, watcher, marker, tags });
    const nothing = !radii && !roles && !heights && !isVerticalMove(update);
    if ((radii && (before.view !== after.view || before.leave !== after.leave)) || nothing) {
      this.world.setRadius(id, after.view, after.leave);
    }
    if (roles) this.world.setRoles(id, { watcher, marker, tags });
  }

  /**
   * The height part of an update: a new z is a vertical move (kept for the entity's move), new half-heights a
   * setHeight. Returns whether something besides z changed. Missing fields resolve as the engine's (cylinder.ts).
   */
  private height(id: number, entity: Recorded, update: EntityUpdate): boolean {
    if (update.z !== undefined && update.z !== zOf(entity)) this.lifts.set(id, update.z);
    if (update.viewHeight === undefined && update.leaveHeight === undefined) {
      if (update.z !== undefined) entity.z = update.z;
      return false;
    }
    const view = update.viewHeight ?? viewHeightOf(entity);
    const leave = update.leaveHeight ?? (update.viewHeight === undefined ? leaveHeightOf(entity) : view);
    const changed = view !== viewHeightOf(entity) || leave !== leaveHeightOf(entity);
    Object.assign(entity, heightOf(update));
    if (changed) this.world.setHeight(id, view, leave);
    return changed;
  }
}

/**
 * The recorder's record of the replayed tick, with the recording's tick number, span, messages and causes (the
 * replay calls the engine outside any message).
 */
function restoreContext(produced: TickRecord, original: TickRecord): TickRecord {
  const spawnCause = new Map<number, number>();
  for (const spawn of original.spawns) spawnCause.set(spawn.id, spawn.cause);
  const updateCause = new Map<number, number>();
  for (const update of original.updates) updateCause.set(update.id, update.cause);
  const moves = produced.moves;
  const causes = originalMoveCauses(original);
  for (let i = 0; i < moves.count; i++) moves.causes[i] = causes?.get(moves.ids[i]!) ?? -1;
  const { span: _span, ...rest } = produced;
  return {
    ...rest,
    tick: original.tick,
    ...(original.span === undefined ? {} : { span: original.span }),
    messages: original.messages,
    spawns: produced.spawns.map((spawn) => ({ ...spawn, cause: spawnCause.get(spawn.id) ?? -1 })),
    updates: produced.updates.map((update) => ({ ...update, cause: updateCause.get(update.id) ?? -1 })),
  };
}

/** id -> cause of the tick's moves, or undefined when no move has one (the common case allocates nothing). */
function originalMoveCauses(record: TickRecord): Map<number, number> | undefined {
  const { ids, causes, count } = record.moves;
  let map: Map<number, number> | undefined;
  for (let i = 0; i < count; i++) {
    if (causes[i] === -1) continue;
    map ??= new Map();
    map.set(ids[i]!, causes[i]!);
  }
  return map;
}
