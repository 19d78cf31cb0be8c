import type { AoiWorld, EntitySnapshot, EventBatch, StatsOptions } from '@lanes/aoi';
import { newSpanId, newTraceId, parseTraceparent } from '@lanes/trace-context';
import { TraceError, TraceErrorCode } from '../errors.js';
import { emptyEvents, ensureEvents } from '../model/columns.js';
import { heightOf, tracedZ } from '../model/height.js';
import type {
  CauseMessage,
  EntitySpawn,
  EntityUpdate,
  SpanContext,
  TickRecord,
  TraceHeader,
  TraceSink,
} from '../model/types.js';
import { engineSettingsAttributes } from './engine-settings.js';
import type { EndTickOptions, MessageOptions, RecorderOptions } from './recorder-options.js';
import type { RecorderStats } from './recorder-stats.js';
import { tagNamesOf } from './tag-names.js';
import { TickMoves } from './tick-moves.js';

/**
 * Records everything a world does, tick by tick, into a {@link TraceSink}. Attach with {@link recordWorld}; call
 * {@link TraceRecorder.endTick} after each game tick (or use {@link TraceRecorder.tick} in batched mode).
 * Detached, the engine pays nothing; attached, it pays one call per change (measured in bench/aoi-trace).
 */
export class TraceRecorder {
  private readonly sink: TraceSink;
  private readonly world: AoiWorld;
  private readonly detach: () => void;
  private readonly tagNames: readonly string[];
  private readonly traceId: string;
  private readonly now: () => number;
  private nextTick: number;
  private ticksClosed = 0;
  private eventBase = 0;
  private messages: CauseMessage[] = [];
  private cause = -1;
  private spawns: EntitySpawn[] = [];
  private updates: EntityUpdate[] = [];
  private despawns: number[] = [];
  /** The ids in `despawns`, for the remove-then-add check of every add. */
  private readonly despawned = new Set<number>();
  /** Height: each entity's last recorded z, and this tick's vertical moves (see flushVerticalMoves). */
  private readonly lastZ = new Map<number, number>();
  private readonly verticalMoves = new Map<number, { z: number; cause: number }>();
  private readonly moves = new TickMoves();
  private readonly events = emptyEvents(1024);
  private closed = false;

  constructor(world: AoiWorld, sink: TraceSink, options: RecorderOptions = {}) {
    this.world = world;
    this.sink = sink;
    this.tagNames = options.tagNames ?? [];
    this.traceId = options.traceId ?? newTraceId();
    this.now = options.now ?? Date.now;
    this.nextTick = options.firstTick ?? 0;
    const header: TraceHeader = {
      source: options.source ?? `@lanes/aoi ${world.algorithm}`,
      startTime: this.now(),
      regionSize: options.regionSize ?? 64,
      quantum: options.quantum ?? 1 / 1024,
      epsilon: options.epsilon ?? 0,
      tagNames: [...this.tagNames],
      // The engine's settings, so the recording can be replayed under them (aoi-trace replay).
      attributes: { ...engineSettingsAttributes(world), ...options.attributes },
    };
    sink.begin(header);
    this.detach = world.observe({
      onBatch: (batch) => this.onBatch(batch),
      onAdd: (id, entity) => this.onAdd(id, entity),
      onMove: (id, x, y, teleport, z) => this.onMove(id, x, y, teleport, z),
      onRemove: (id) => this.onRemove(id),
      onUpdate: (id, entity) => this.onUpdate(id, entity),
    });
  }

  /**
   * Marks the start of a message's effects: changes until {@link endMessage} are attributed to it. Returns its
   * span, to pass on to whatever the message triggers downstream.
   */
  beginMessage(name: string, options: MessageOptions = {}): SpanContext {
    const parsed = options.traceparent === undefined ? undefined : parseTraceparent(options.traceparent);
    const span = { traceId: parsed?.traceId ?? this.traceId, spanId: newSpanId() };
    const message: CauseMessage = {
      name,
      span,
      ...(parsed ? { parent: { traceId: parsed.traceId, spanId: parsed.parentId } } : {}),
      ...(options.entity !== undefined ? { entity: options.entity } : {}),
    };
    this.cause = this.messages.push(message) - 1;
    return span;
  }

  endMessage(): void {
    this.cause = -1;
  }

  /** `world.tick()` then {@link endTick}: one call per game tick in batched mode. Returns the world's batch. */
  tick(options: EndTickOptions = {}): EventBatch {
    const batch = this.world.tick();
    this.endTick(options);
    return batch;
  }

  /** Closes the current tick: everything since the last call becomes one {@link TickRecord} in the sink. */
  endTick(options: EndTickOptions = {}): TickRecord {
    if (this.closed) throw new TraceError(TraceErrorCode.InvalidArgument, 'endTick: the recorder was closed.');
    this.moves.compact();
    this.flushVerticalMoves();
    const record: TickRecord = {
      tick: this.nextTick++,
      time: options.time ?? this.now(),
      span: options.span ?? { traceId: this.traceId, spanId: newSpanId() },
      eventBase: this.eventBase,
      messages: this.messages,
      spawns: this.spawns,
      updates: this.updates,
      moves: this.moves.columns,
      despawns: this.despawns,
      events: this.events,
    };
    this.sink.writeTick(record);
    this.ticksClosed++;
    this.eventBase += this.events.count;
    this.messages = [];
    this.cause = -1;
    this.spawns = [];
    this.updates = [];
    this.despawns = [];
    this.despawned.clear();
    this.moves.clear();
    this.events.count = 0;
    return record;
  }

  /** The monitoring indicators: the recorder's and its sink's backlog, and the world's stats (see {@link RecorderStats}). */
  stats(options: StatsOptions = {}): RecorderStats {
    return {
      ticks: this.ticksClosed,
      events: this.eventBase,
      openEvents: this.events.count,
      openChanges: this.spawns.length + this.updates.length + this.moves.columns.count + this.despawns.length,
      sink: this.sink.backlog?.() ?? null,
      engine: this.world.stats(options),
    };
  }

  /** Detaches from the world. Changes after the last {@link endTick} are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
  }

  private onBatch(batch: EventBatch): void {
    const events = this.events;
    const start = events.count;
    ensureEvents(events, start + batch.count);
    events.kinds.set(batch.kinds.subarray(0, batch.count), start);
    events.watchers.set(batch.watchers.subarray(0, batch.count), start);
    events.targets.set(batch.targets.subarray(0, batch.count), start);
    events.count = start + batch.count;
  }

  private onAdd(id: number, entity: EntitySnapshot): void {
    let respawn = false;
    if (this.despawned.has(id)) {
      // remove(id) then add(id) in one tick: the old entity's leaves and the new one's enters are both in this
      // tick's events, so the record says "respawn" (a move would make them look spurious to ground truth).
      this.despawned.delete(id);
      this.despawns.splice(this.despawns.indexOf(id), 1);
      const earlier = this.spawns.findIndex((spawn) => spawn.id === id);
      // Added, removed and added again: one spawn, a respawn if the first one was.
      if (earlier >= 0) respawn = this.spawns.splice(earlier, 1)[0]?.respawn === true;
      else respawn = true;
      this.forget(id);
    }
    this.spawns.push({
      id,
      x: entity.x,
      y: entity.y,
      viewRadius: entity.viewRadius,
      leaveRadius: entity.leaveRadius,
      watcher: entity.watcher,
      marker: entity.marker,
      tags: tagNamesOf(entity.tags, this.tagNames),
      cause: this.cause,
      ...(respawn ? { respawn } : {}),
      ...heightOf(entity),
    });
    if (entity.z !== undefined) this.lastZ.set(id, tracedZ(entity.z));
  }

  /**
   * Vertical moves go into the trace as updates of `z` (format 2.2: the move columns stay 2D), one per entity and
   * tick, only when z changed since it was last recorded.
   */
  private flushVerticalMoves(): void {
    for (const [id, { z, cause }] of this.verticalMoves) this.updates.push({ id, z, cause });
    this.verticalMoves.clear();
  }

  /** Drops this tick's moves and updates of a removed entity, so they do not apply to the id's new entity. */
  private forget(id: number): void {
    this.verticalMoves.delete(id);
    if (this.updates.some((update) => update.id === id)) this.updates = this.updates.filter((u) => u.id !== id);
    this.moves.drop(id);
  }

  private onMove(id: number, x: number, y: number, teleport: boolean, given?: number): void {
    const z = given === undefined ? undefined : tracedZ(given);
    if (z !== undefined && this.lastZ.get(id) !== z) {
      this.lastZ.set(id, z);
      this.verticalMoves.set(id, { z, cause: this.cause });
    }
    this.moves.set(id, x, y, teleport, this.cause);
  }
  private onRemove(id: number): void {
    this.despawns.push(id);
    this.despawned.add(id);
  }

  private onUpdate(id: number, entity: EntitySnapshot): void {
    this.updates.push({
      id,
      viewRadius: entity.viewRadius,
      leaveRadius: entity.leaveRadius,
      watcher: entity.watcher,
      marker: entity.marker,
      tags: tagNamesOf(entity.tags, this.tagNames),
      cause: this.cause,
      ...heightOf(entity),
    });
  }
}

/** Starts recording `world` into `sink`. */
export function recordWorld(world: AoiWorld, sink: TraceSink, options: RecorderOptions = {}): TraceRecorder {
  return new TraceRecorder(world, sink, options);
}
