import type { EventColumns, MoveColumns } from './types.js';

export function emptyMoves(capacity = 0): MoveColumns {
  return {
    count: 0,
    ids: new Int32Array(capacity),
    xs: new Float64Array(capacity),
    ys: new Float64Array(capacity),
    teleports: new Uint8Array(capacity),
    causes: new Int32Array(capacity),
  };
}

export function emptyEvents(capacity = 0): EventColumns {
  return {
    count: 0,
    kinds: new Uint8Array(capacity),
    watchers: new Int32Array(capacity),
    targets: new Int32Array(capacity),
  };
}

/** Makes room for `needed` entries, keeping the first `count` (doubling, so appends stay amortized O(1)). */
export function ensureMoves(moves: MoveColumns, needed: number): void {
  if (needed <= moves.ids.length) return;
  let size = Math.max(16, moves.ids.length);
  while (size < needed) size *= 2;
  const grow = <T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T => {
    next.set(old.subarray(0, moves.count));
    return next;
  };
  moves.ids = grow(moves.ids, new Int32Array(size));
  moves.xs = grow(moves.xs, new Float64Array(size));
  moves.ys = grow(moves.ys, new Float64Array(size));
  moves.teleports = grow(moves.teleports, new Uint8Array(size));
  moves.causes = grow(moves.causes, new Int32Array(size));
}

export function ensureEvents(events: EventColumns, needed: number): void {
  if (needed <= events.kinds.length) return;
  let size = Math.max(16, events.kinds.length);
  while (size < needed) size *= 2;
  const kinds = new Uint8Array(size);
  kinds.set(events.kinds.subarray(0, events.count));
  const watchers = new Int32Array(size);
  watchers.set(events.watchers.subarray(0, events.count));
  const targets = new Int32Array(size);
  targets.set(events.targets.subarray(0, events.count));
  events.kinds = kinds;
  events.watchers = watchers;
  events.targets = targets;
}

export function pushMove(moves: MoveColumns, id: number, x: number, y: number, teleport: boolean, cause: number): void {
  ensureMoves(moves, moves.count + 1);
  const i = moves.count++;
  moves.ids[i] = id;
  moves.xs[i] = x;
  moves.ys[i] = y;
  moves.teleports[i] = teleport ? 1 : 0;
  moves.causes[i] = cause;
}

export function pushEvent(events: EventColumns, kind: number, watcher: number, target: number): void {
  ensureEvents(events, events.count + 1);
  const i = events.count++;
  events.kinds[i] = kind;
  events.watchers[i] = watcher;
  events.targets[i] = target;
}

/** Exact-size copies, safe to keep after the producer reuses its arrays. */
export function copyMoves(moves: MoveColumns): MoveColumns {
  const n = moves.count;
  return {
    count: n,
    ids: moves.ids.slice(0, n),
    xs: moves.xs.slice(0, n),
    ys: moves.ys.slice(0, n),
    teleports: moves.teleports.slice(0, n),
    causes: moves.causes.slice(0, n),
  };
}

export function copyEvents(events: EventColumns): EventColumns {
  const n = events.count;
  return {
    count: n,
    kinds: events.kinds.slice(0, n),
    watchers: events.watchers.slice(0, n),
    targets: events.targets.slice(0, n),
  };
}
