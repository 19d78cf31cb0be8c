// The parallel grid's phase clock, for `bench/aoi/workers.js --phases`: where each thread's time goes in a tick
// (docs/benchmarks.md, "Parallel ticks"). Off unless the bench turns it on before it creates a world; then every
// phase boundary costs one read of the thread's schedstat. Off, each boundary is one null check.
//
// A wall interval on a shared machine includes the time the thread was runnable but waiting for a CPU. Linux
// accounts that wait (schedstat's second field, run_delay) when the thread is scheduled back in, so it is exact by
// the time the thread itself reads it: wall minus that delay is the phase's time on a CPU (or blocked, in the wait
// phases), whatever the load. https://docs.kernel.org/scheduler/sched-stats.html ("/proc/<pid>/schedstat").

import { openSync, readSync } from 'node:fs';

/** Phases of the caller's thread (row 0). */
export const MainPhase = {
  /** The skin test over the dirty slots and the copy of the moved flags. */
  Skin: 0,
  /** Writing the commands and waking the workers. */
  Dispatch: 1,
  /** The caller's own share (callerShare), its parts also in its own row. */
  Own: 2,
  /** Blocked until the last worker answered. */
  Wait: 3,
  /** Merging the sorted runs into the tick's transitions. */
  Merge: 4,
  /** A rebuild's steps on the caller: bounds, stripes, reference positions. */
  RebuildSerial: 5,
  /** Of the wait: from the last worker's answer to the caller running again (a wall gap, no delay part). */
  WakeBack: 6,
} as const;

/** Phases of a share (row 1 + share index). */
export const SharePhase = {
  /** From the caller's notify to this share starting (a wall gap, no delay part). */
  Wake: 0,
  /** The pair loop (re-check) or the rebuild's scan. */
  Work: 1,
  /** A rebuild's barrier among the shares. */
  Barrier: 2,
  /** A rebuild's leaves of the old pairs. */
  Finish: 3,
  /** Sorting this share's keys. */
  Sort: 4,
  /** Copying them to the shared output. */
  Copy: 5,
  /** Merging and decoding this share's part of the batch (the barrier before it counts as Barrier). */
  Merge: 6,
  /** The skin test of this share's slots (`checkSkin`). */
  Skin: 7,
} as const;

export const PHASES = 8;
const HEADER = 8;
/** Per row: wall ms per phase, delay ms per phase, then the last mark (wall, delay), the last answer's time. */
export const ROW = 2 * PHASES + 4;
const LAST_WALL = 2 * PHASES;
const LAST_DELAY = LAST_WALL + 1;
const DONE_AT = LAST_WALL + 2;
/** Header word: when the caller woke the shares. */
const NOTIFY_AT = 0;

let clock: Float64Array | null = null;
let fd = -1;
const text = new Uint8Array(96);

/** Turns the clock on for worlds created from now on (rows for the caller and up to `shares` shares); zeroed. */
export function enablePhaseClock(shares = 65): Float64Array {
  clock = new Float64Array(new SharedArrayBuffer(8 * (HEADER + ROW * (shares + 1))));
  return clock;
}

/** The clock's buffer (null when off), handed to each worker at its start. */
export function phaseClock(): Float64Array | null {
  return clock;
}

/** A worker adopts the caller's clock. */
export function adoptPhaseClock(buffer: Float64Array | null): void {
  clock = buffer;
}

/** Wall ms since the epoch, comparable across threads (each thread's performance.now has its own origin). */
const wallNow = (): number => performance.timeOrigin + performance.now();

/** This thread's run-queue delay in ms (schedstat's second field). */
function delayNow(): number {
  if (fd < 0) fd = openSync('/proc/thread-self/schedstat', 'r');
  const n = readSync(fd, text, 0, text.length, 0);
  let field = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === 32) {
      if (field === 1) break;
      field++;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  return value / 1e6;
}

/** Starts timing on `row` (0: the caller; 1 + k: share k). */
export function mark(row: number): void {
  const c = clock;
  if (c === null) return;
  const at = HEADER + row * ROW;
  c[at + LAST_WALL] = wallNow();
  c[at + LAST_DELAY] = delayNow();
}

/** Adds the time since the last mark on `row` to `phase`, and marks now. */
export function lap(row: number, phase: number): void {
  const c = clock;
  if (c === null) return;
  const at = HEADER + row * ROW;
  const wall = wallNow();
  const delay = delayNow();
  c[at + phase] = c[at + phase]! + wall - c[at + LAST_WALL]!;
  c[at + PHASES + phase] = c[at + PHASES + phase]! + delay - c[at + LAST_DELAY]!;
  c[at + LAST_WALL] = wall;
  c[at + LAST_DELAY] = delay;
}

/** The caller woke the shares now. */
export function notified(): void {
  if (clock !== null) clock[NOTIFY_AT] = wallNow();
}

/**
 * Share `share` starts its command: its wake-up gap is counted (wall: from the notify; delay: the run-queue wait
 * since its last command ended, i.e. after the wake, so wall minus delay is the wake-up itself), and its row marked.
 */
export function shareStarted(share: number): void {
  const c = clock;
  if (c === null) return;
  const row = 1 + share;
  const at = HEADER + row * ROW;
  const before = c[at + LAST_DELAY]!;
  mark(row);
  const gap = Math.max(0, c[at + LAST_WALL]! - c[NOTIFY_AT]!);
  c[at + SharePhase.Wake] = c[at + SharePhase.Wake]! + gap;
  if (before > 0)
    c[at + PHASES + SharePhase.Wake] = c[at + PHASES + SharePhase.Wake]! + Math.min(gap, c[at + LAST_DELAY]! - before);
}

/** Share `share` answered now. */
export function shareDone(share: number): void {
  if (clock !== null) clock[HEADER + (1 + share) * ROW + DONE_AT] = wallNow();
}

/**
 * The caller runs again after its wait for `shares` shares: the gap since the last answer is counted (wall), with
 * the caller's run-queue wait during its wait (delay: after the wake), so wall minus delay is the wake-up itself.
 */
export function wokenBack(shares: number): void {
  const c = clock;
  if (c === null) return;
  let last = 0;
  for (let k = 0; k < shares; k++) last = Math.max(last, c[HEADER + (1 + k) * ROW + DONE_AT]!);
  const gap = Math.max(0, wallNow() - last);
  const at = HEADER + MainPhase.WakeBack;
  c[at] = c[at]! + gap;
  c[at + PHASES] = c[at + PHASES]! + Math.min(gap, delayNow() - c[HEADER + LAST_DELAY]!);
}

/** Per row (caller, then shares): wall ms and run-queue delay ms per phase, accumulated since the clock was on. */
export function readPhaseClock(): Array<{ wall: number[]; delay: number[] }> {
  const c = clock;
  if (c === null) return [];
  const rows = (c.length - HEADER) / ROW;
  return Array.from({ length: rows }, (_, row) => {
    const at = HEADER + row * ROW;
    return {
      wall: Array.from(c.subarray(at, at + PHASES)),
      delay: Array.from(c.subarray(at + PHASES, at + 2 * PHASES)),
    };
  });
}
