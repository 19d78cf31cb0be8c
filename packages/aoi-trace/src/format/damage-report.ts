// What a reader could not read, as data every command renders the same way: ticks lost to a damaged or misplaced
// chunk (and where the reading resumed), chunks in the wrong order, damage that cost no ticks, and a file that ends
// early. The reader fills it as it reads; `TraceReader.verify()` reads everything once so the list is complete.

/** One thing wrong with a file. Offsets are bytes from the start of the file. */
export type DamageEntry =
  | {
      /** Ticks that could not be read: `ticks()` skipped them and resumed at the next keyframe. */
      readonly type: 'gap';
      /**
       * Where the loss starts: the byte offset of a damaged chunk, or of a keyframe that records an earlier loss; in
       * an NDJSON input (`chunk: 'line'`), the number of the line whose `resync` records it.
       */
      readonly offset: number;
      readonly chunk: string;
      readonly reason: string;
      /** First tick lost; null when nothing before it was read (the loss may start at the trace's first tick). */
      readonly fromTick: number | null;
      /** Last tick lost; null when no keyframe follows (lost to the end of the file). */
      readonly toTick: number | null;
      /** Ticks lost (the chunks' counts with an index, else the tick numbers in the range); null when unknown. */
      readonly ticksLost: number | null;
      /** The first tick read again after the loss; null when none was. */
      readonly resumeTick: number | null;
    }
  | {
      /** A chunk whose ticks go backwards or overlap the chunks before it (swapped, duplicated, shifted). */
      readonly type: 'out-of-order';
      readonly offset: number;
      readonly chunk: string;
      readonly firstTick: number;
      readonly lastTick: number;
      /** The last tick of the chunk before it in the file, and the first of the one after it (null: none). */
      readonly afterTick: number | null;
      readonly beforeTick: number | null;
    }
  | {
      /** A damaged chunk that cost no ticks (a keyframe the reading did not need): seeking near it is slower. */
      readonly type: 'damaged';
      readonly offset: number;
      readonly chunk: string;
      readonly reason: string;
    }
  | {
      /** The file ends early (crash, kill, copy in progress): no footer and index, ticks after `lastTick` unknown. */
      readonly type: 'cut';
      /** Where the readable part ends. */
      readonly offset: number;
      readonly fileBytes: number;
      /** The last tick of the last complete ticks chunk; null when there is none. */
      readonly lastTick: number | null;
    };

export type DamageType = DamageEntry['type'];

/** A closed range of ticks. */
export interface TickSpan {
  readonly from: number;
  readonly to: number;
}

/** What a reading covered: the tick ranges read, the ranges lost, and whether ticks after the end are unknown. */
export interface TickCoverage {
  readonly covered: readonly TickSpan[];
  /** Ranges lost to gaps (`to: null`: to the end of the file). */
  readonly unread: readonly { readonly from: number | null; readonly to: number | null }[];
  /** The file was cut: ticks after the last covered one were never written or never read. */
  readonly cut: boolean;
}

/** One line of text for an entry; every command prints damage with this. */
export function describeDamage(entry: DamageEntry): string {
  switch (entry.type) {
    case 'gap': {
      const from = entry.fromTick ?? 'the start';
      const to = entry.toTick ?? 'the end of the file';
      const lost = entry.ticksLost === null ? 'ticks' : `${entry.ticksLost} tick(s)`;
      const resume = entry.resumeTick === null ? 'no keyframe after it' : `resumed at tick ${entry.resumeTick}`;
      const where = entry.chunk === 'line' ? `line ${entry.offset}` : `${entry.chunk} chunk at byte ${entry.offset}`;
      return `gap: ${lost} lost (${from}..${to}), ${where}: ${entry.reason}; ${resume}`;
    }
    case 'out-of-order':
      return `out of order: ${entry.chunk} chunk at byte ${entry.offset} holds ticks ${entry.firstTick}..${entry.lastTick} between tick ${entry.afterTick ?? '-'} and tick ${entry.beforeTick ?? '-'}`;
    case 'damaged':
      return `damaged: ${entry.chunk} chunk at byte ${entry.offset}: ${entry.reason} (no ticks lost)`;
    case 'cut':
      return `cut: the file ends at byte ${entry.offset} of ${entry.fileBytes} without its index; ${entry.lastTick === null ? 'no tick' : `nothing after tick ${entry.lastTick}`} could be read`;
  }
}

/** The ticks a reading of `first..last` covered, given the damage it met. */
export function tickCoverage(entries: readonly DamageEntry[], first: number, last: number): TickCoverage {
  const unread = entries
    .filter((e): e is Extract<DamageEntry, { type: 'gap' }> => e.type === 'gap')
    .map((e) => ({ from: e.fromTick, to: e.toTick }))
    .sort((a, b) => (a.from ?? Number.NEGATIVE_INFINITY) - (b.from ?? Number.NEGATIVE_INFINITY));
  const covered: TickSpan[] = [];
  let start = first;
  for (const gap of unread) {
    const end = Math.min(last, (gap.from ?? first) - 1);
    if (end >= start) covered.push({ from: start, to: end });
    if (gap.to === null) {
      start = Number.POSITIVE_INFINITY;
      break;
    }
    start = Math.max(start, gap.to + 1);
  }
  if (start <= last) covered.push({ from: start, to: last });
  return { covered, unread, cut: entries.some((e) => e.type === 'cut') };
}
