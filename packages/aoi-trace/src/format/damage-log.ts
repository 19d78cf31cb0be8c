// The reader's side of the damage report: checks the chunk order once when a file is opened (a chunk that is out of
// order is treated as damaged, so nothing decoded against the wrong prediction state is ever returned), and keeps
// the entries found while reading, one per chunk offset, so every pass over the file reports the same thing.

import type { ChunkEntry } from './chunk-index.js';
import type { OpenedLayout } from './chunk-scan.js';
import type { DamageEntry } from './damage-report.js';
import { CHUNK_KIND_NAMES, ChunkKind } from './layout.js';

export const chunkName = (entry: ChunkEntry): string => CHUNK_KIND_NAMES[entry.kind] ?? 'unreadable';

export class DamageLog {
  /** Out-of-order chunks, damaged chunks that cost nothing, the cut; and the ticks lost, by chunk offset. */
  private readonly notes = new Map<number, DamageEntry>();
  private readonly gaps = new Map<number, DamageEntry>();
  private readonly layout: OpenedLayout;

  constructor(layout: OpenedLayout, fileBytes: number) {
    this.layout = layout;
    markOutOfOrder(layout.entries, (entry) => this.notes.set(entry.offset, entry));
    if (!layout.complete) {
      const last = layout.entries.filter((e) => e.kind === ChunkKind.Ticks && e.bad === undefined).at(-1);
      const offset = layout.cutAt ?? fileBytes;
      // Keyed past every chunk offset: one cut per file.
      this.notes.set(Number.MAX_SAFE_INTEGER, { type: 'cut', offset, fileBytes, lastTick: last?.lastTick ?? null });
    }
  }

  /** Every entry so far, in file order. */
  list(): DamageEntry[] {
    return [...this.notes.values(), ...this.gaps.values()].sort((a, b) => a.offset - b.offset);
  }

  outOfOrder(entry: ChunkEntry): boolean {
    return this.notes.get(entry.offset)?.type === 'out-of-order';
  }

  /** A damaged chunk that cost no ticks (unless a gap at the same chunk says otherwise). */
  damaged(entry: ChunkEntry, reason: string): void {
    if (this.notes.has(entry.offset) || this.gaps.has(entry.offset)) return;
    this.notes.set(entry.offset, { type: 'damaged', offset: entry.offset, chunk: chunkName(entry), reason });
  }

  /**
   * Ticks lost from the entry at `index` on: up to the next intact keyframe, where reading resumes (or to the end).
   * `lastRead` is the last tick read before it, if any.
   */
  gap(index: number, reason: string, lastRead: number | undefined): number | null {
    const all = this.layout.entries;
    const at = all[index]!;
    let end = index + 1;
    while (end < all.length && (all[end]!.kind !== ChunkKind.Keyframe || all[end]!.bad !== undefined)) end++;
    const keyframe = all[end];
    const resume = all.slice(end).find((e) => e.kind === ChunkKind.Ticks && e.bad === undefined);
    const skipped = all.slice(index, end).filter((e) => e.kind === ChunkKind.Ticks);
    // Nothing read before: the loss starts at the first tick of the chunks skipped (not of one that is out of place).
    const placed = skipped.filter((e) => this.notes.get(e.offset)?.type !== 'out-of-order');
    const fromTick = lastRead !== undefined ? lastRead + 1 : (placed[0]?.firstTick ?? null);
    const toTick = keyframe?.lastTick ?? null;
    if (this.notes.get(at.offset)?.type === 'damaged') this.notes.delete(at.offset);
    this.gaps.set(at.offset, {
      type: 'gap',
      offset: at.offset,
      chunk: chunkName(at),
      reason,
      fromTick,
      toTick,
      ticksLost: lostCount(skipped, fromTick, toTick),
      resumeTick: keyframe === undefined ? null : (resume?.firstTick ?? null),
    });
    return fromTick;
  }

  /**
   * The replay since the keyframe at `lastKeyframe` (-1: the start) does not reach the keyframe at `index`: a chunk
   * in between is missing or out of place, so those ticks were decoded from a wrong state.
   */
  discontinuity(index: number, lastKeyframe: number | undefined): void {
    const keyframe = this.layout.entries[index]!;
    const from = lastKeyframe === undefined ? null : lastKeyframe + 1;
    this.gaps.set(keyframe.offset, {
      type: 'gap',
      offset: keyframe.offset,
      chunk: 'keyframe',
      reason: 'the ticks before this keyframe do not lead to it (a chunk is missing or out of place)',
      fromTick: from,
      toTick: keyframe.lastTick,
      ticksLost: from === null ? null : keyframe.lastTick - from + 1,
      resumeTick:
        this.layout.entries.slice(index).find((e) => e.kind === ChunkKind.Ticks && e.bad === undefined)?.firstTick ??
        null,
    });
  }

  /** A keyframe that does not follow the ticks before it: the writer was given a gap (an export of a damaged file). */
  recordedGap(keyframe: ChunkEntry, lastRead: number | undefined, resumeTick: number | null): void {
    this.gaps.set(keyframe.offset, {
      type: 'gap',
      offset: keyframe.offset,
      chunk: 'keyframe',
      reason: 'the file records ticks lost before it was written',
      fromTick: lastRead === undefined ? null : lastRead + 1,
      toTick: keyframe.lastTick,
      ticksLost: lastRead === undefined ? null : keyframe.lastTick - lastRead,
      resumeTick,
    });
  }
}

function lostCount(skipped: readonly ChunkEntry[], fromTick: number | null, toTick: number | null): number | null {
  if (skipped.length > 0 && skipped.every((e) => e.ticks !== undefined)) {
    return skipped.reduce((n, e) => n + e.ticks!, 0);
  }
  return fromTick === null || toTick === null ? null : Math.max(0, toTick - fromTick + 1);
}

/**
 * Ticks chunks must hold increasing ticks in file order, and a keyframe the state after the ticks before it (or a
 * later tick: a recorded gap). Both chunks of a pair that breaks this are flagged `bad` (which one moved cannot be
 * told, and the later one would be decoded against the wrong prediction state), so reading resumes at the next
 * keyframe and nothing in the wrong order is ever returned.
 */
function markOutOfOrder(entries: readonly ChunkEntry[], report: (entry: DamageEntry) => void): void {
  const data = entries.filter((e) => e.kind === ChunkKind.Ticks || e.kind === ChunkKind.Keyframe);
  const flagged = new Set<ChunkEntry>();
  for (let i = 1; i < data.length; i++) {
    const a = data[i - 1]!;
    const b = data[i]!;
    const follows = b.kind === ChunkKind.Keyframe ? b.lastTick >= a.lastTick : b.firstTick > a.lastTick;
    if (!follows) {
      flagged.add(a);
      flagged.add(b);
    }
  }
  for (let i = 0; i < data.length; i++) {
    const entry = data[i]!;
    if (!flagged.has(entry)) continue;
    const afterTick = data[i - 1]?.lastTick ?? null;
    const beforeTick = data[i + 1]?.firstTick ?? null;
    entry.bad = `out of order: ticks ${entry.firstTick}..${entry.lastTick} between tick ${afterTick ?? '-'} and tick ${beforeTick ?? '-'}`;
    report({
      type: 'out-of-order',
      offset: entry.offset,
      chunk: chunkName(entry),
      firstTick: entry.firstTick,
      lastTick: entry.lastTick,
      afterTick,
      beforeTick,
    });
  }
}
