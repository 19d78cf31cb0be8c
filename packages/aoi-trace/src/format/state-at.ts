// The world after one tick (TraceReader.stateAt): the latest intact keyframe at or before it, then a replay.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { gap, reasonOf } from './chunk-errors.js';
import type { ChunkEntry } from './chunk-index.js';
import { EventsNeeded } from './deviation-skip.js';
import type { ReadSource } from './io.js';
import { ChunkKind, type PredictedMinor } from './layout.js';
import type { SeekWorldState } from './lazy-views.js';
import type { Quantizer } from './quantizer.js';
import { ReplayWorld } from './replay-world.js';
import { SegmentDecoder } from './segment-decoder.js';

/** Called with each chunk error; it rethrows what the reader does not skip (see TraceReader's `damaged`). */
export type OnDamage = (error: unknown, rethrowWhenStrict?: boolean) => void;

/**
 * Where the last seek of a reader left its replay: a seek to a later tick of the same keyframe's span goes on from
 * there instead of decoding the keyframe and replaying again (a 3.x replay predicts every tick, and the first tick
 * after a keyframe costs a full pass of the rule). The viewer and query seek forward through a file this way.
 */
export interface SeekCursor {
  readonly decoder: SegmentDecoder;
  readonly world: ReplayWorld;
  /** The keyframe entry the replay started from (-1: the start of the file). */
  readonly keyframe: number;
  /** The entry the replay stopped in (still open in the decoder) or the next one to read. */
  next: number;
  /** The last tick applied. */
  tick: number;
}

/** A seek's result and the cursor it leaves (format 3.x only). */
export interface Seek {
  readonly state: WorldState;
  readonly cursor: SeekCursor | undefined;
}

/**
 * The world after `tick` in the chunks `entries` of `source`, replayed into typed arrays. The view Sets of the
 * returned state are built per watcher on first use (see LazyViews), so a caller that reads a few watchers never
 * pays for the ~750,000 Set entries of a dense world; walking `views` builds them all. `cursor`: the last seek's
 * (see SeekCursor), used when it stands on the way to `tick`. `keepCursor` (3.x, the reader's): without a cursor to
 * go on from, the state's entities come from a replay that predicts nothing (the viewer's frame reads only them),
 * and its view lists from the predicted replay on their first use, which hands its cursor to `keepCursor`.
 */
export function stateAt(
  source: ReadSource,
  quantizer: Quantizer,
  entries: readonly ChunkEntry[],
  tick: number,
  onDamage: OnDamage,
  predicted?: PredictedMinor,
  cursor?: SeekCursor,
  keepCursor?: (cursor: SeekCursor | undefined) => void,
): Seek {
  if (!Number.isFinite(tick)) throw new TraceError(TraceErrorCode.InvalidArgument, `stateAt: bad tick ${tick}.`);
  if (cursor !== undefined && cursor.tick <= tick && latestKeyframe(entries, tick) === cursor.keyframe) {
    // The same keyframe and chunks a new replay would read: damage on the way is the same damage.
    return replayTo(cursor, entries, tick, quantizer, true, onDamage);
  }
  if (predicted !== undefined && keepCursor !== undefined) {
    // 3.x: the positions at once; the view sets, which need every replayed tick predicted, when first asked for.
    const positions = replayFrom(source, quantizer, entries, tick, onDamage, predicted, true);
    if (positions !== undefined) {
      const views = () => {
        const seek = replayFrom(source, quantizer, entries, tick, onDamage, predicted, false)!;
        keepCursor(seek.cursor);
        return (seek.state as SeekWorldState).views;
      };
      (positions.state as SeekWorldState).views.defer(views);
      return positions;
    }
  }
  return replayFrom(source, quantizer, entries, tick, onDamage, predicted, false)!;
}

/**
 * A replay from the latest intact keyframe at or before `tick`. `positionsOnly` (3.x): without predicting the
 * events (a state without view sets, no cursor); undefined when a tick on the way stores its event order, which only
 * a predicted replay can read past.
 */
function replayFrom(
  source: ReadSource,
  quantizer: Quantizer,
  entries: readonly ChunkEntry[],
  tick: number,
  onDamage: OnDamage,
  predicted: PredictedMinor | undefined,
  positionsOnly: boolean,
): Seek | undefined {
  // Only a 3.x replay is worth keeping: there a replayed tick costs a prediction, and keeping costs copies.
  const keep = predicted !== undefined;
  const decoder = new SegmentDecoder(source, quantizer, true, predicted, positionsOnly);
  let state: ReplayWorld | undefined;
  let start = 0;
  for (const [k, entry] of [...entries.entries()].reverse()) {
    if (entry.kind !== ChunkKind.Keyframe || entry.lastTick > tick) continue;
    try {
      // A 3.x replay shares the predictor's view sets (each tick's events are applied once, while decoding).
      state = decoder.keyframe(entry, keep && !positionsOnly);
      start = k + 1;
      break;
    } catch (error) {
      onDamage(error);
    }
  }
  if (state === undefined) {
    state = new ReplayWorld();
    decoder.reset();
    if (keep && !positionsOnly) decoder.follow(state);
  }
  const fresh: SeekCursor = { decoder, world: state, keyframe: start - 1, next: start, tick: state.tick };
  if (!positionsOnly) return replayTo(fresh, entries, tick, quantizer, keep, onDamage);
  try {
    return replayTo(fresh, entries, tick, quantizer, false, onDamage);
  } catch (error) {
    if (error instanceof EventsNeeded) return undefined;
    throw error;
  }
}

function replayTo(
  cursor: SeekCursor,
  entries: readonly ChunkEntry[],
  tick: number,
  quantizer: Quantizer,
  keep: boolean,
  onDamage: OnDamage,
): Seek {
  try {
    return { state: advance(cursor, entries, tick, quantizer, keep), cursor: keep ? cursor : undefined };
  } catch (error) {
    if (error instanceof EventsNeeded) throw error;
    onDamage(error, false);
    throw lostTick(error as TraceError, tick, entries.slice(cursor.next + 1));
  }
}

/** The entry of the latest keyframe at or before `tick` (-1: none). */
function latestKeyframe(entries: readonly ChunkEntry[], tick: number): number {
  return entries.findLastIndex((e) => e.kind === ChunkKind.Keyframe && e.lastTick <= tick);
}

/**
 * Replays the cursor on to `tick` and returns the world then; `keep`: as copies, so that the cursor's world can go
 * on. Throws on damage, with `cursor.next` at the entry that failed.
 */
function advance(
  cursor: SeekCursor,
  entries: readonly ChunkEntry[],
  tick: number,
  quantizer: Quantizer,
  keep: boolean,
): WorldState {
  const { decoder, world } = cursor;
  const apply = (record: TickRecord) => {
    world.apply(record);
    cursor.tick = record.tick;
  };
  const done = () => world.toWorldState(decoder.table, quantizer, keep);
  if (decoder.stopped) {
    if (!decoder.resume(tick, apply)) return done();
    // The chunk the last seek stopped in is finished.
    if (entries[cursor.next++]!.lastTick >= tick) return done();
  }
  while (cursor.next < entries.length) {
    const entry = entries[cursor.next]!;
    if (entry.kind === ChunkKind.Keyframe) {
      decoder.table.resetVelocities();
      cursor.next++;
      continue;
    }
    if (entry.kind === ChunkKind.Ticks && entry.firstTick > tick) break;
    if (entry.kind !== ChunkKind.Ticks) throw gap(entry);
    if (!decoder.replay(entry, tick, apply)) break;
    cursor.next++;
    if (entry.lastTick >= tick) break;
  }
  return done();
}

/** The world after `tick` cannot be rebuilt across damage: say so, and which tick is the next one that can. */
function lostTick(error: TraceError, tick: number, after: readonly ChunkEntry[]): TraceError {
  if (error.code !== TraceErrorCode.Corrupt) return error;
  const keyframe = after.find((e) => e.kind === ChunkKind.Keyframe && e.bad === undefined);
  const next = keyframe === undefined ? 'no later tick can be' : `tick ${keyframe.lastTick} and later can be`;
  return new TraceError(
    TraceErrorCode.Corrupt,
    `tick ${tick} cannot be rebuilt: the chunk at byte ${error.details.offset} is damaged (${reasonOf(error)}); the ticks from it to the next keyframe are lost, ${next}.`,
    { ...error.details, tick },
  );
}
