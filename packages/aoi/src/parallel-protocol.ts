// What the main thread and the workers of the parallel grid (parallel-grid.ts, parallel-worker.ts) send each other.
// Bulk state lives in SharedArrayBuffers. A tick's command and answer are a few numbers in a shared control block
// (see Control): the workers block in Atomics.wait on it, not in their event loop, so a tick posts no message and
// wakes every worker with one notify. Messages carry only what is rare: buffers that changed, a rebuild's job.

/**
 * A worker's pair list as every thread sees it: the shared arrays of its last rebuild. Each unordered pair is in
 * exactly one worker's segment (the worker whose share of the rebuild found it).
 */
export interface Segment {
  a: Int32Array;
  b: Int32Array;
  flags: Uint8Array;
  count: number;
  rowSlots: number;
  rowStart: Int32Array;
  rowPairs: Int32Array;
  /** Per pair: set by the worker whose rebuild found the pair again, so the owner gives no leave for it. */
  carried: Uint8Array;
}

/** The entity store's shared arrays (sent again after the store grew). */
export interface StoreBuffers {
  capacity: number;
  ids: Int32Array;
  x: Float64Array;
  y: Float64Array;
  leave: Float64Array;
  view2: Float64Array;
  leave2: Float64Array;
  roles: Uint8Array;
  tags: Int32Array;
  interest: Int32Array;
  alive: Uint8Array;
  /** Height (empty arrays until the first entity with height; sent again when it switches on). */
  hasHeight: boolean;
  z: Float64Array;
  viewH: Float64Array;
  leaveH: Float64Array;
}

/**
 * A worker's share of a rebuild. Dense: the cells of rows [from, to) of a w x h grid whose cell (0, 0) is
 * (gx0, gy0), each with the half neighbourhood of the single-threaded dense scan (so a stripe reads one row of
 * halo below it). Hashed: entities of slots [from, to), each scanning the cells within its own reach.
 */
export interface ScanJob {
  dense: boolean;
  cell: number;
  skin: number;
  gx0: number;
  gy0: number;
  w: number;
  h: number;
  from: number;
  to: number;
}

/**
 * `all`: re-check this share's pairs. `rebuild`: scan the job, wait until every share has scanned (the barrier: a
 * share's old pairs found again by any share are marked `carried` by then), then give the leaves of this share's old
 * pairs that nobody found again and make the new pairs its segment.
 */
export type Command = { op: 'all'; sync: Sync } | { op: 'rebuild'; sync: Sync; job: ScanJob };

/** Sent with every command: the store's extent, and any buffers that changed since the last command. */
export interface Sync {
  end: number;
  count: number;
  /** Whether to produce move events (then `moved` holds this update's moved flags). */
  moveEvents: boolean;
  /**
   * `all` only: first test a share of the slots against the skin (see Control.Beyond); when any entity left its
   * skin, no share re-checks its pairs and the caller rebuilds instead.
   */
  checkSkin: boolean;
  /**
   * Merge and decode the shares' sorted runs into `decode`, each share a range of watcher slots (see
   * parallel-merge.ts), instead of leaving the merge to the caller.
   */
  merge: boolean;
  store?: StoreBuffers;
  moved?: Uint8Array;
  segments?: Segment[];
  /** Every share's sorted-keys buffer, by share (after one was reallocated). */
  runs?: Float64Array[];
  /** Where the merged batch goes (after it grew). */
  decode?: DecodeArrays;
  /** The positions and leave radii of the last rebuild, which the skin test compares against (after a resize). */
  ref?: { x: Float64Array; y: Float64Array; leave: Float64Array };
}

/** The merged batch of a tick, decoded into ids, in shared memory: the world copies it into its EventBatch. */
export interface DecodeArrays {
  kinds: Uint8Array;
  watchers: Int32Array;
  targets: Int32Array;
}

/**
 * A worker's answer: the number of its transitions, which are packed keys (see TransitionBuffer) in ascending order
 * at the start of its shared output buffer; the buffer itself when it is new (the first answer, or after it grew);
 * its segment after a rebuild. The main thread reads the buffer between commands only, so it is reused every tick:
 * no copy, no transfer, no garbage per tick.
 */
export type Reply = { count: number; keys?: Float64Array; segment?: Segment } | { error: string };

/**
 * Words of the shared control block (an Int32Array). `Seq` counts commands: a worker runs one each time it changes.
 * `Done` counts answers. `Barrier` counts the shares that finished a rebuild's scan (reset before each command).
 * Per worker k, at `slot(k)`: whether its command or answer is a message on its port, and the plain command and
 * answer otherwise.
 */
export const Control = {
  Seq: 0,
  Done: 1,
  Barrier: 2,
  Exit: 3,
  /** The barrier after the skin test (`checkSkin`). */
  BarrierSkin: 4,
  /** The barrier before the merge (`merge`): every share's run is sorted and counted. */
  BarrierMerge: 5,
  /** Set by a share whose slots hold an entity beyond its skin: nobody re-checks, the caller rebuilds. */
  Beyond: 6,
  /** Set by a share whose run buffer is new (the others do not know it yet): the caller merges this time. */
  NoMerge: 7,
  /** Per-share words start here, `Stride` each. */
  Base: 8,
  Stride: 12,
  // Offsets inside a share's words.
  CommandIsMessage: 0,
  End: 1,
  Count: 2,
  MoveEvents: 3,
  ReplyCount: 4,
  ReplyIsMessage: 5,
  /** A plain command's CheckSkin (1) and Merge (2) bits. */
  Flags: 6,
  /** The share's sorted keys this command, published before the merge barrier. */
  RunCount: 7,
  /** Enters and leaves in the share's part of the merged batch. */
  Enters: 8,
  Leaves: 9,
} as const;

/** Words reset before every command: the barriers and the two flags. */
export const perCommandWords = [
  Control.Barrier,
  Control.BarrierSkin,
  Control.BarrierMerge,
  Control.Beyond,
  Control.NoMerge,
];

export const controlWords = (shares: number): number => Control.Base + Control.Stride * shares;
export const slot = (worker: number): number => Control.Base + Control.Stride * worker;

/**
 * Waits until `parties` shares have called it for the current rebuild. The last one to arrive wakes the others.
 * Counts only up (reset by the main thread between commands), so a late waiter never misses the release.
 */
export function barrier(control: Int32Array, parties: number, word: number = Control.Barrier): void {
  if (Atomics.add(control, word, 1) + 1 >= parties) {
    Atomics.notify(control, word);
    return;
  }
  for (;;) {
    const seen = Atomics.load(control, word);
    if (seen >= parties) return;
    Atomics.wait(control, word, seen);
  }
}
