// The reader's pass over the ticks (TraceReader.ticks and verify): chunk by chunk from the keyframe before the range,
// skipping what damage made unreadable up to the next intact keyframe, and handing the next record a resync that
// says what was lost. Apart from trace-reader.ts as seeking is apart in state-at.ts: the reader holds the file and
// its damage, these walk it.

import type { TraceError } from '../errors.js';
import type { TickRange, TickRecord, TraceResync } from '../model/types.js';
import { gap, reasonOf } from './chunk-errors.js';
import type { ChunkEntry } from './chunk-index.js';
import { chunkName, type DamageLog } from './damage-log.js';
import type { ReadSource } from './io.js';
import { ChunkKind, type PredictedMinor } from './layout.js';
import type { Quantizer } from './quantizer.js';
import { SegmentDecoder } from './segment-decoder.js';
import type { OnDamage } from './state-at.js';

/** What a pass reads from: the reader's file, its index entries (damage is flagged on them) and its damage log. */
export interface TickPassInput {
  readonly source: ReadSource;
  readonly quantizer: Quantizer;
  readonly entries: ChunkEntry[];
  readonly predicted: PredictedMinor | undefined;
  readonly damage: DamageLog;
  /** Notes a damaged chunk; rethrows what is not a format error (and format errors when strict). */
  readonly damaged: OnDamage;
}

/** The ticks of `range`; with `replayCheck`, every keyframe is also compared with the replay that reaches it. */
export function* readTicks(input: TickPassInput, range: TickRange, replayCheck: boolean): Iterable<TickRecord> {
  const from = range.from ?? Number.NEGATIVE_INFINITY;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  const entries = input.entries;
  const target = entries.findIndex((e) => e.kind === ChunkKind.Ticks && e.lastTick >= from);
  if (target < 0) return;
  const decoder = new SegmentDecoder(input.source, input.quantizer, false, input.predicted);
  let start = target - 1;
  while (start >= 0 && (entries[start]!.kind !== ChunkKind.Keyframe || entries[start]!.bad !== undefined)) start--;
  // `broken`: no valid prediction state (not positioned yet, or after damage); a keyframe restores it.
  let broken = start >= 0;
  if (start < 0) {
    decoder.reset();
    start = 0;
  }
  // The last tick decoded (what the prediction state holds), the ticks chunk before the current entry, whether
  // ticks were lost since the last one read, and the resync the next returned record carries.
  let lastRead: number | undefined;
  let previousTicks = entries.slice(0, start).findLast((e) => e.kind === ChunkKind.Ticks)?.lastTick;
  let lost: string | undefined;
  let resync: TraceResync | undefined;
  // The loss being skipped: where it started, and its first tick (null: unknown) as the damage report has it.
  let opened: { index: number; reason: string; lastRead: number | undefined; fromTick: number | null } | undefined;
  let lastKeyframe = start < entries.length && entries[start]!.kind === ChunkKind.Keyframe ? undefined : -1;
  for (let i = start; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.kind === ChunkKind.Ticks && entry.firstTick > to) return;
    let records: TickRecord[] = [];
    try {
      if (entry.kind === ChunkKind.Keyframe) {
        // A keyframe that does not hold the state after the ticks before it records a gap (see TraceWriter).
        const recorded = entry.bad === undefined && entry.lastTick !== previousTicks;
        if (broken || recorded) {
          const world = decoder.keyframe(entry);
          const resume = entries.slice(i).find((e) => e.kind === ChunkKind.Ticks && e.bad === undefined);
          if (recorded && lost === undefined)
            input.damage.recordedGap(entry, lastRead ?? previousTicks, resume?.firstTick ?? null);
          const reason = lost ?? (recorded ? 'ticks lost before the file was written' : undefined);
          if (reason !== undefined && entry.lastTick >= from - 1) {
            const before = lastRead ?? previousTicks;
            const lostFrom = opened !== undefined ? opened.fromTick : before === undefined ? null : before + 1;
            resync = { state: world.toWorldState(decoder.table, input.quantizer), lostFrom, reason };
          }
        } else {
          // A keyframe out of place means chunks around it are out of place too: the replay cannot go on.
          if (entry.bad !== undefined && input.damage.outOfOrder(entry)) throw gap(entry);
          if (entry.bad !== undefined) input.damage.damaged(entry, entry.bad);
          else if (replayCheck && !replayReaches(input, entry, decoder)) {
            // A chunk is missing or out of place: the ticks since the last keyframe were replayed from a wrong
            // state. Reading goes on from this keyframe's world.
            input.damage.discontinuity(i, lastKeyframe);
            decoder.keyframe(entry);
          }
          decoder.table.resetVelocities();
        }
        broken = false;
        lost = undefined;
        opened = undefined;
        // A damaged keyframe passed over (the replay did not need it) is no tick read.
        if (entry.bad === undefined) {
          lastKeyframe = entry.lastTick;
          lastRead = entry.lastTick;
        }
      } else if (entry.kind === ChunkKind.Ticks) {
        previousTicks = entry.lastTick;
        if (!broken) {
          records = decoder.ticks(entry);
          lastRead = entry.lastTick;
        }
      } else {
        throw gap(entry);
      }
    } catch (error) {
      input.damaged(error);
      const reason = entry.bad ?? reasonOf(error as TraceError);
      // Flagged, so that later passes and the gap's end (the next intact keyframe) skip it too.
      entry.bad = reason;
      if (!broken) opened = { index: i, reason, lastRead, fromTick: null };
      // Where the loss ends depends on which keyframe is intact: (re)computed whenever one fails.
      if (opened !== undefined) opened.fromTick = input.damage.gap(opened.index, opened.reason, opened.lastRead);
      if (!broken || entry.kind === ChunkKind.Keyframe) {
        lost = `ticks lost to the ${chunkName(entry)} chunk at byte ${entry.offset}: ${reason}`;
      }
      broken = true;
    }
    for (const record of records) {
      if (record.tick > to) return;
      if (record.tick < from) {
        resync = undefined;
        continue;
      }
      if (resync === undefined) {
        yield record;
      } else {
        yield { ...record, resync };
        resync = undefined;
      }
    }
  }
}

/** Whether the replay in `decoder` holds exactly the entities and positions the keyframe holds. */
function replayReaches(input: TickPassInput, keyframe: ChunkEntry, decoder: SegmentDecoder): boolean {
  const check = new SegmentDecoder(input.source, input.quantizer, false, input.predicted);
  const world = check.keyframe(keyframe);
  const replayed = decoder.table;
  if (replayed.size !== check.table.size) return false;
  for (const id of world.entities.keys()) {
    const slot = replayed.slotOf(id);
    const expected = check.table.slotOf(id);
    if (slot < 0 || replayed.qx[slot] !== check.table.qx[expected] || replayed.qy[slot] !== check.table.qy[expected]) {
      return false;
    }
  }
  return true;
}
