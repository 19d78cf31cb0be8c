// The world after one tick (TraceReader.stateAt): the latest intact keyframe at or before it, then a replay.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { gap, reasonOf } from './chunk-errors.js';
import type { ChunkEntry } from './chunk-index.js';
import type { ReadSource } from './io.js';
import { ChunkKind, type PredictedMinor } from './layout.js';
import type { Quantizer } from './quantizer.js';
import { ReplayWorld } from './replay-world.js';
import { SegmentDecoder } from './segment-decoder.js';

/** Called with each chunk error; it rethrows what the reader does not skip (see TraceReader's `damaged`). */
export type OnDamage = (error: unknown, rethrowWhenStrict?: boolean) => void;

/**
 * The world after `tick` in the chunks `entries` of `source`, replayed into typed arrays. The view Sets of the
 * returned state are built per watcher on first use (see LazyViews), so a caller that reads a few watchers never
 * pays for the ~750,000 Set entries of a dense world; walking `views` builds them all.
 */
export function stateAt(
  source: ReadSource,
  quantizer: Quantizer,
  entries: readonly ChunkEntry[],
  tick: number,
  onDamage: OnDamage,
  predicted?: PredictedMinor,
): WorldState {
  if (!Number.isFinite(tick)) throw new TraceError(TraceErrorCode.InvalidArgument, `stateAt: bad tick ${tick}.`);
  const decoder = new SegmentDecoder(source, quantizer, true, predicted);
  let state: ReplayWorld | undefined;
  let start = 0;
  for (const [k, entry] of [...entries.entries()].reverse()) {
    if (entry.kind !== ChunkKind.Keyframe || entry.lastTick > tick) continue;
    try {
      state = decoder.keyframe(entry);
      start = k + 1;
      break;
    } catch (error) {
      onDamage(error);
    }
  }
  if (state === undefined) {
    state = new ReplayWorld();
    decoder.reset();
  }
  const world = state;
  const apply = (record: TickRecord) => world.apply(record);
  const replayed = entries.slice(start);
  for (const [n, entry] of replayed.entries()) {
    if (entry.kind === ChunkKind.Keyframe) {
      decoder.table.resetVelocities();
      continue;
    }
    if (entry.kind === ChunkKind.Ticks && entry.firstTick > tick) break;
    try {
      if (entry.kind !== ChunkKind.Ticks) throw gap(entry);
      decoder.replay(entry, tick, apply);
    } catch (error) {
      onDamage(error, false);
      throw lostTick(error as TraceError, tick, replayed.slice(n + 1));
    }
    if (entry.lastTick >= tick) break;
  }
  return world.toWorldState(decoder.table, quantizer);
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
