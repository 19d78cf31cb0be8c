// The logical content of a trace, independent of how it is stored (.aoitrace, NDJSON, memory). Every producer
// (the engine recorder, NDJSON import, the live ingest) makes these; every consumer (writer, query, detectors,
// exporters) reads them.

import type { WorldState } from './world-state.js';

/** Event kinds; the numbers match @lanes/aoi's EventKind (the seed calls a leave an `exit`). */
export const TraceEventKind = { Enter: 0, Exit: 1, Move: 2 } as const;
export type TraceEventKind = (typeof TraceEventKind)[keyof typeof TraceEventKind];
export const EVENT_KIND_NAMES = ['enter', 'exit', 'move'] as const;
export type TraceEventKindName = (typeof EVENT_KIND_NAMES)[number];

/** What a whole trace is about: written once, at the start. */
export interface TraceHeader {
  /** Who wrote it, e.g. `@lanes/aoi grid` or `my-go-server 1.4`. */
  readonly source: string;
  /** Wall-clock time of the first tick, ms since the Unix epoch. */
  readonly startTime: number;
  /**
   * Edge of the square regions (cells) used for the seed's old/new region and spatial hash of an event. Derived
   * data only: it does not change what is recorded.
   */
  readonly regionSize: number;
  /**
   * Position quantum: stored positions are multiples of it (1/1024 keeps 10 bits of fraction). Positions that are
   * already multiples of the quantum round-trip exactly.
   */
  readonly quantum: number;
  /** Moves smaller than this (per axis, in world units) are not stored; 0 stores every move (lossless). */
  readonly epsilon: number;
  /** Tag names: bit i of the engine's tag mask is `tagNames[i]`. */
  readonly tagNames: readonly string[];
  /** Free-form key/value pairs (engine options, scenario name and seed, git revision, lane, ...). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A W3C trace-context span: 32 and 16 lowercase hex digits. */
export interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
}

/**
 * A message that caused changes in a tick (a client's move request, a spell, an AI step): its own span, and the
 * span of whoever sent it, if the message carried a `traceparent`.
 */
export interface CauseMessage {
  readonly name: string;
  readonly span: SpanContext;
  /** The sender's span (from the message's traceparent); absent for messages that started here. */
  readonly parent?: SpanContext;
  /** The entity the message was about, if any. */
  readonly entity?: number;
}

/** An entity as created. */
export interface EntitySpawn {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly viewRadius: number;
  /** >= viewRadius (hysteresis). */
  readonly leaveRadius: number;
  readonly watcher: boolean;
  readonly marker: boolean;
  /** Tag names (see {@link TraceHeader.tagNames}). */
  readonly tags: readonly string[];
  /** Index into the tick's messages, or -1. */
  readonly cause: number;
  /**
   * The id belonged to a live entity when the tick began, and the engine removed it before this spawn (`remove(id)`
   * then `add(id)` in one batched tick). That entity is gone before anything else of the tick: its view is dropped,
   * and its leaves (as watcher and as target) are in the tick's events before the new entity's enters. Without it
   * (the default) the id must not exist. Ground truth then expects the old entity's leaves and the new one's enters.
   */
  readonly respawn?: boolean;
  /** Height (format 2.2): z and the vertical half-heights of the view and leave cylinders (Infinity: no limit). */
  readonly z?: number;
  readonly viewHeight?: number;
  readonly leaveHeight?: number;
}

/** A change of radii, roles or tags; fields left out are unchanged. */
export interface EntityUpdate {
  readonly id: number;
  readonly viewRadius?: number;
  readonly leaveRadius?: number;
  readonly watcher?: boolean;
  readonly marker?: boolean;
  readonly tags?: readonly string[];
  /** Height (format 2.2): a new z (a vertical move) or new half-heights; see {@link EntitySpawn.z}. */
  readonly z?: number;
  readonly viewHeight?: number;
  readonly leaveHeight?: number;
  readonly cause: number;
}

/**
 * Position changes of one tick, columnar (a tick can hold a million). `ids` are unique within a tick. Producers may
 * reuse the arrays after the consumer's call returns; consumers that keep them must copy.
 */
export interface MoveColumns {
  count: number;
  ids: Int32Array;
  xs: Float64Array;
  ys: Float64Array;
  /** 1 where the change was a teleport. */
  teleports: Uint8Array;
  /** Index into the tick's messages, or -1. */
  causes: Int32Array;
}

/** Visibility events of one tick, columnar, in the order the engine delivered them. */
export interface EventColumns {
  count: number;
  /** {@link TraceEventKind} per event. */
  kinds: Uint8Array;
  watchers: Int32Array;
  targets: Int32Array;
}

/**
 * Everything that happened in one tick. Order within a tick: respawned ids' old entities are removed first (see
 * {@link EntitySpawn.respawn}); spawns, updates and moves set the new geometry; the events are the engine's answer
 * to it; despawned entities are gone at the end of the tick (their leave events, if the engine sent any, are in
 * `events`).
 */
export interface TickRecord {
  /** Integer >= 0, strictly increasing within a trace (gaps allowed). */
  readonly tick: number;
  /** Wall-clock time of the tick, ms since the Unix epoch. */
  readonly time: number;
  /** The tick's own span; its events belong to it. */
  readonly span?: SpanContext;
  /** Id of the first event of this tick; event i has id `eventBase + i`. Ids count events from the trace start. */
  readonly eventBase: number;
  readonly messages: readonly CauseMessage[];
  readonly spawns: readonly EntitySpawn[];
  readonly updates: readonly EntityUpdate[];
  readonly moves: MoveColumns;
  readonly despawns: readonly number[];
  readonly events: EventColumns;
  /**
   * Set on the first tick after ticks were lost (a damaged or out-of-order chunk, or a gap an earlier export
   * recorded): this tick follows `resync.state`, not the tick before it. Consumers replace their world with it first
   * ({@link WorldState.apply} does).
   */
  readonly resync?: TraceResync;
}

/** Where a trace resumes after lost ticks: the world after `state.tick`, as a keyframe holds it. */
export interface TraceResync {
  readonly state: WorldState;
  /** First tick lost, or null when the loss reaches back to before the first tick read. */
  readonly lostFrom: number | null;
  /** Why the ticks are lost (a damaged chunk at byte ..., a gap recorded by an export, ...). */
  readonly reason: string;
}

/** Something that yields a trace's ticks in order: a file reader, an NDJSON reader, an in-memory trace. */
export interface TraceInput {
  readonly header: TraceHeader;
  /** Ticks with `from <= tick <= to`, in order. */
  ticks(range?: TickRange): Iterable<TickRecord>;
}

/** An input that can jump to a tick without replaying from the start (the .aoitrace reader, via keyframes). */
export interface SeekableTraceInput extends TraceInput {
  /** The world after `tick` (the last tick <= `tick` if there is none with that number). */
  stateAt(tick: number): WorldState;
}

export interface TickRange {
  readonly from?: number;
  readonly to?: number;
}

/** Something that accepts a trace tick by tick: the .aoitrace writer, an NDJSON writer, an in-memory trace. */
export interface TraceSink {
  /** Called once, before the first tick. */
  begin(header: TraceHeader): void;
  /** Must copy what it keeps: the columns may be reused after it returns. */
  writeTick(record: TickRecord): void;
  /** What it holds and has not written yet, if it buffers (the .aoitrace writer does); for monitoring. */
  backlog?(): SinkBacklog;
}

/** A sink's backlog: accepted, not yet in the file. */
export interface SinkBacklog {
  /** Ticks accepted and not yet written (in the open chunk or with the packer). */
  readonly ticks: number;
  /** Chunks handed to the packer (with `background`, the worker queue) and not yet written. */
  readonly chunks: number;
}
