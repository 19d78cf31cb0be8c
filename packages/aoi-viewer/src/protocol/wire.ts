// The viewer's binary wire format, shared by the server (encode) and the browser client (decode). Columns of
// 4-byte numbers, never an object per entity, so a tick of 50,000 entities is one ~600 KB buffer to parse.
// Everything is little-endian; every column starts 4-byte aligned so the client can view it without copying.
// Height (docs/aoi.md, "Height") is three more columns at the end of a frame, present only when the frame says so
// (a state frame of version 2, a tick frame with the height magic): a 2D trace's frames are byte for byte what
// they were before height.

export const STATE_MAGIC = 0x54535641; // 'AVST'
export const TICK_MAGIC = 0x4b545641; // 'AVTK'
/** A tick frame followed by the spawns' and updates' height columns. */
export const TICK_HEIGHT_MAGIC = 0x5a545641; // 'AVTZ'
export const WIRE_VERSION = 1;
/** The version of a state frame followed by height columns. */
export const WIRE_HEIGHT_VERSION = 2;

/** Entity flag bits. */
export const Flag = {
  Watcher: 1,
  Marker: 2,
  /** In an update: the watcher bit is meaningful. */
  WatcherSet: 4,
  MarkerSet: 8,
  TagsSet: 16,
} as const;

export const STATE_HEADER_BYTES = 24;
export const TICK_HEADER_BYTES = 40;

/**
 * z and the half-heights of the view and leave cylinders (Infinity: no vertical limit). An entity without z is at
 * z 0; one without a view half-height sees every z. In an update, NaN means unchanged.
 */
export interface HeightColumns {
  zs: Float32Array;
  viewHeights: Float32Array;
  leaveHeights: Float32Array;
}

/** Every live entity at one tick. Tag masks use the source's tag table (bit i = `tags[i]`). */
export interface StateFrame {
  tick: number;
  time: number;
  count: number;
  ids: Int32Array;
  xs: Float32Array;
  ys: Float32Array;
  viewRadii: Float32Array;
  leaveRadii: Float32Array;
  flags: Uint32Array;
  tagMasks: Uint32Array;
  /** Present when the frame has height. */
  height: HeightColumns | undefined;
}

/** The changes of one tick. Update radii are NaN when unchanged. */
export interface TickFrame {
  tick: number;
  time: number;
  eventCount: number;
  moveIds: Int32Array;
  moveXs: Float32Array;
  moveYs: Float32Array;
  spawnIds: Int32Array;
  spawnXs: Float32Array;
  spawnYs: Float32Array;
  spawnViewRadii: Float32Array;
  spawnLeaveRadii: Float32Array;
  spawnFlags: Uint32Array;
  spawnTagMasks: Uint32Array;
  despawnIds: Int32Array;
  updateIds: Int32Array;
  updateViewRadii: Float32Array;
  updateLeaveRadii: Float32Array;
  updateFlags: Uint32Array;
  updateTagMasks: Uint32Array;
  /** Present when the frame has height: the spawns' values, and the updates' (NaN: unchanged). */
  spawnHeight: HeightColumns | undefined;
  updateHeight: HeightColumns | undefined;
}

export function stateBytes(count: number, height = false): number {
  return STATE_HEADER_BYTES + count * 4 * (height ? 10 : 7);
}

export function tickBytes(moves: number, spawns: number, despawns: number, updates: number, height = false): number {
  const heightColumns = height ? 3 * (spawns + updates) : 0;
  return TICK_HEADER_BYTES + 4 * (moves * 3 + spawns * 7 + despawns + updates * 5 + heightColumns);
}

/** Typed-array views over a state buffer; `write` is true when allocating for the encoder. */
export function stateViews(buffer: ArrayBuffer, byteOffset = 0): StateFrame {
  const view = new DataView(buffer, byteOffset);
  const magic = view.getUint32(0, true);
  if (magic !== STATE_MAGIC) throw new Error(`not a viewer state frame (magic 0x${magic.toString(16)})`);
  const version = view.getUint32(4, true);
  if (version !== WIRE_VERSION && version !== WIRE_HEIGHT_VERSION) {
    throw new Error(`Got v${version} state data when expected v${WIRE_VERSION} or v${WIRE_HEIGHT_VERSION}.`);
  }
  const count = view.getUint32(12, true);
  const height = version === WIRE_HEIGHT_VERSION;
  return {
    tick: view.getInt32(8, true),
    time: view.getFloat64(16, true),
    count,
    ...stateColumns(buffer, byteOffset + STATE_HEADER_BYTES, count, height),
  };
}

/** Writes a state header into a fresh buffer of {@link stateBytes} (with the same `height`) and returns views to fill. */
export function writeStateHeader(
  buffer: ArrayBuffer,
  tick: number,
  time: number,
  count: number,
  height = false,
): StateFrame {
  const view = new DataView(buffer);
  view.setUint32(0, STATE_MAGIC, true);
  view.setUint32(4, height ? WIRE_HEIGHT_VERSION : WIRE_VERSION, true);
  view.setInt32(8, tick, true);
  view.setUint32(12, count, true);
  view.setFloat64(16, time, true);
  return { tick, time, count, ...stateColumns(buffer, STATE_HEADER_BYTES, count, height) };
}

function heightColumns(buffer: ArrayBuffer, next: () => number, n: number): HeightColumns {
  return {
    zs: new Float32Array(buffer, next(), n),
    viewHeights: new Float32Array(buffer, next(), n),
    leaveHeights: new Float32Array(buffer, next(), n),
  };
}

function stateColumns(buffer: ArrayBuffer, start: number, n: number, height: boolean) {
  let at = start;
  const next = () => {
    const offset = at;
    at += n * 4;
    return offset;
  };
  return {
    ids: new Int32Array(buffer, next(), n),
    xs: new Float32Array(buffer, next(), n),
    ys: new Float32Array(buffer, next(), n),
    viewRadii: new Float32Array(buffer, next(), n),
    leaveRadii: new Float32Array(buffer, next(), n),
    flags: new Uint32Array(buffer, next(), n),
    tagMasks: new Uint32Array(buffer, next(), n),
    height: height ? heightColumns(buffer, next, n) : undefined,
  };
}

export interface TickCounts {
  moves: number;
  spawns: number;
  despawns: number;
  updates: number;
  /** The frame carries the spawns' and updates' height columns. */
  height?: boolean;
}

/** Writes a tick header into a fresh buffer of {@link tickBytes} and returns views to fill. */
export function writeTickHeader(
  buffer: ArrayBuffer,
  tick: number,
  time: number,
  eventCount: number,
  counts: TickCounts,
): TickFrame {
  const view = new DataView(buffer);
  view.setUint32(0, buffer.byteLength, true);
  view.setUint32(4, counts.height === true ? TICK_HEIGHT_MAGIC : TICK_MAGIC, true);
  view.setInt32(8, tick, true);
  view.setUint32(12, eventCount, true);
  view.setFloat64(16, time, true);
  view.setUint32(24, counts.moves, true);
  view.setUint32(28, counts.spawns, true);
  view.setUint32(32, counts.despawns, true);
  view.setUint32(36, counts.updates, true);
  return { tick, time, eventCount, ...tickColumns(buffer, 0, counts) };
}

/** Views over one complete tick frame that starts at `byteOffset` (4-byte aligned). */
export function tickViews(buffer: ArrayBuffer, byteOffset = 0): TickFrame {
  const view = new DataView(buffer, byteOffset);
  const magic = view.getUint32(4, true);
  if (magic !== TICK_MAGIC && magic !== TICK_HEIGHT_MAGIC)
    throw new Error(`not a viewer tick frame (magic 0x${magic.toString(16)})`);
  const counts = {
    moves: view.getUint32(24, true),
    spawns: view.getUint32(28, true),
    despawns: view.getUint32(32, true),
    updates: view.getUint32(36, true),
    height: magic === TICK_HEIGHT_MAGIC,
  };
  return {
    tick: view.getInt32(8, true),
    time: view.getFloat64(16, true),
    eventCount: view.getUint32(12, true),
    ...tickColumns(buffer, byteOffset, counts),
  };
}

function tickColumns(buffer: ArrayBuffer, frameStart: number, c: TickCounts) {
  let at = frameStart + TICK_HEADER_BYTES;
  const take = <T>(make: (offset: number, length: number) => T, n: number): T => {
    const offset = at;
    at += n * 4;
    return make(offset, n);
  };
  const i32 = (o: number, n: number) => new Int32Array(buffer, o, n);
  const f32 = (o: number, n: number) => new Float32Array(buffer, o, n);
  const u32 = (o: number, n: number) => new Uint32Array(buffer, o, n);
  const next = (n: number) => () => take((o) => o, n);
  const columns = {
    moveIds: take(i32, c.moves),
    moveXs: take(f32, c.moves),
    moveYs: take(f32, c.moves),
    spawnIds: take(i32, c.spawns),
    spawnXs: take(f32, c.spawns),
    spawnYs: take(f32, c.spawns),
    spawnViewRadii: take(f32, c.spawns),
    spawnLeaveRadii: take(f32, c.spawns),
    spawnFlags: take(u32, c.spawns),
    spawnTagMasks: take(u32, c.spawns),
    despawnIds: take(i32, c.despawns),
    updateIds: take(i32, c.updates),
    updateViewRadii: take(f32, c.updates),
    updateLeaveRadii: take(f32, c.updates),
    updateFlags: take(u32, c.updates),
    updateTagMasks: take(u32, c.updates),
  };
  const height = c.height === true;
  return {
    ...columns,
    spawnHeight: height ? heightColumns(buffer, next(c.spawns), c.spawns) : undefined,
    updateHeight: height ? heightColumns(buffer, next(c.updates), c.updates) : undefined,
  };
}

/**
 * Splits a byte stream of tick frames into frames as chunks arrive (fetch bodies come in arbitrary pieces). Each
 * frame is copied once, into its own aligned buffer.
 */
export class TickFrameSplitter {
  private chunks: Uint8Array[] = [];
  private total = 0;

  push(chunk: Uint8Array): TickFrame[] {
    this.chunks.push(chunk);
    this.total += chunk.length;
    const frames: TickFrame[] = [];
    while (this.total >= 4) {
      const size = new DataView(this.peek(4).buffer).getUint32(0, true);
      if (size < TICK_HEADER_BYTES) throw new Error(`corrupt tick stream: a frame of ${size} bytes`);
      if (this.total < size) break;
      frames.push(tickViews(this.take(size).buffer as ArrayBuffer));
    }
    return frames;
  }

  /** True when the stream ended in the middle of a frame. */
  get incomplete(): boolean {
    return this.total > 0;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.slice(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
      if (at === n) break;
    }
    return out;
  }

  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const chunk = this.chunks[0]!;
      const part = chunk.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
      if (part.length === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part.length);
    }
    this.total -= n;
    return out;
  }
}
