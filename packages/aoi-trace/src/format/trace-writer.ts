// The streaming .aoitrace writer: ticks are encoded into one chunk buffer that is flushed (one positional write per
// chunk) when it reaches its byte or tick budget, so memory stays bounded and a crash leaves only whole chunks
// behind. Keyframes are written between chunks when the replay since the last one would get too long.

import { crc32, deflateRawSync } from 'node:zlib';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { TickRecord, TraceHeader, TraceSink } from '../model/types.js';
import { ByteWriter } from './byte-writer.js';
import { encodeFrame } from './chunk-frame.js';
import { type ChunkEntry, encodeFooter, encodeIndex } from './chunk-index.js';
import { encodeHeader } from './header-codec.js';
import { FileTarget, type WriteTarget } from './io.js';
import { encodeKeyframe } from './keyframe-codec.js';
import { CHUNK_DEFLATED, ChunkKind, FILE_HEADER_BYTES, FILE_MAGIC, FORMAT_MAJOR, FORMAT_MINOR } from './layout.js';
import { Quantizer } from './quantizer.js';
import { StringTableWriter } from './string-table.js';
import { type ChunkContext, TickEncoder } from './tick-encoder.js';
import { WorldMirror } from './world-mirror.js';

export interface TraceWriterOptions {
  /** A keyframe at least every this many ticks (bounds stateAt's replay in ticks). @default 128 */
  keyframeInterval?: number;
  /** A keyframe once this many bytes of ticks were written since the last one (bounds the replay in bytes). @default 8 MiB */
  keyframeBytes?: number;
  /**
   * A keyframe once the replay since the last one (moves + events + spawns + updates + despawns) reaches this many
   * steps, or half the size of the last keyframe (entities + view pairs) if larger: replaying a step costs stateAt
   * about twice what decoding a keyframe entry does, so the replay never takes longer than decoding the keyframe.
   * Measured on the dense bench map (docs/benchmarks.md): a keyframe every ~22 ticks. @default 250000
   */
  keyframeWork?: number;
  /** A ticks chunk is flushed once its payload reaches this size. @default 256 KiB */
  chunkBytes?: number;
  /** ...or once it holds this many ticks. @default 64 */
  chunkTicks?: number;
  /** Raw-deflate each chunk payload (kept only when it is smaller). @default true */
  deflate?: boolean;
  /** zlib level for `deflate`. @default 1 */
  deflateLevel?: number;
}

type Resolved = Required<TraceWriterOptions>;

/** Writes a trace to a {@link WriteTarget} (a file, or memory). Call {@link TraceWriter.close} to write the index. */
export class TraceWriter implements TraceSink {
  private readonly target: WriteTarget;
  private readonly options: Resolved;
  private readonly chunk = new ByteWriter(1 << 18);
  private readonly strings = new StringTableWriter();
  private readonly mirror = new WorldMirror();
  private encoder: TickEncoder | undefined;
  private readonly context: ChunkContext = { prevTick: -1, prevTime: 0, nextEventBase: 0 };
  private readonly entries: ChunkEntry[] = [];
  private position = 0;
  private chunkFirstTick = -1;
  private chunkTicks = 0;
  private chunkMoves = 0;
  private chunkEvents = 0;
  private lastTick = -1;
  private ticksSinceKeyframe = 0;
  private bytesSinceKeyframe = 0;
  private workSinceKeyframe = 0;
  private lastKeyframeWork = 0;
  private state: 'new' | 'open' | 'failed' | 'closed' = 'new';

  constructor(target: WriteTarget, options: TraceWriterOptions = {}) {
    this.target = target;
    this.options = {
      keyframeInterval: positive(options.keyframeInterval ?? 128, 'keyframeInterval'),
      keyframeBytes: positive(options.keyframeBytes ?? 8 * 1024 * 1024, 'keyframeBytes'),
      keyframeWork: positive(options.keyframeWork ?? 250_000, 'keyframeWork'),
      chunkBytes: positive(options.chunkBytes ?? 256 * 1024, 'chunkBytes'),
      chunkTicks: positive(options.chunkTicks ?? 64, 'chunkTicks'),
      deflate: options.deflate ?? true,
      deflateLevel: options.deflateLevel ?? 1,
    };
  }

  begin(header: TraceHeader): void {
    if (this.state !== 'new') throw argument('begin: called twice.');
    const payload = encodeHeader(header);
    const fileHeader = new Uint8Array(FILE_HEADER_BYTES);
    fileHeader.set(FILE_MAGIC);
    const view = new DataView(fileHeader.buffer);
    view.setUint16(8, FORMAT_MAJOR, true);
    view.setUint16(10, FORMAT_MINOR, true);
    this.target.write(fileHeader, 0);
    this.position = FILE_HEADER_BYTES;
    this.writeChunk(ChunkKind.Header, payload, 0, 0, false);
    this.encoder = new TickEncoder(this.mirror, new Quantizer(header.quantum), header.epsilon);
    this.state = 'open';
  }

  /**
   * Encodes one tick. A record that breaks the model's rules throws INVALID_RECORD; the writer then refuses further
   * ticks, and close() keeps every tick before the bad one.
   */
  writeTick(record: TickRecord): void {
    if (this.state !== 'open')
      throw argument(`writeTick: the writer is ${this.state === 'new' ? 'not begun' : this.state}.`);
    const { options } = this;
    if (this.chunkTicks > 0 && (this.chunk.length >= options.chunkBytes || this.chunkTicks >= options.chunkTicks)) {
      this.flushTicks();
    }
    if (
      this.lastTick >= 0 &&
      (this.ticksSinceKeyframe >= options.keyframeInterval ||
        this.bytesSinceKeyframe >= options.keyframeBytes ||
        this.workSinceKeyframe >= Math.max(options.keyframeWork, this.lastKeyframeWork / 2))
    ) {
      this.flushTicks();
      this.writeKeyframe();
    }
    if (this.chunkTicks === 0) {
      // A chunk decodes on its own: tick, time and event base restart from the frame (see the format doc).
      this.chunkFirstTick = record.tick;
      this.context.prevTick = record.tick <= this.lastTick ? this.lastTick : record.tick - 1;
      this.context.prevTime = 0;
      this.context.nextEventBase = -1;
      this.strings.reset();
    }
    const start = this.chunk.length;
    try {
      this.chunkMoves += this.encoder!.encode(this.chunk, this.strings, record, this.context);
    } catch (error) {
      this.chunk.length = start;
      this.state = 'failed';
      throw error;
    }
    this.chunkEvents += record.events.count;
    this.workSinceKeyframe +=
      record.moves.count + record.events.count + record.spawns.length + record.updates.length + record.despawns.length;
    this.chunkTicks++;
    this.ticksSinceKeyframe++;
    this.lastTick = record.tick;
  }

  /** Flushes the last chunk, writes the index and the footer, and closes the target. */
  close(): void {
    if (this.state === 'closed') return;
    if (this.state !== 'new') {
      this.flushTicks();
      const indexOffset = this.position;
      const index = encodeIndex(this.entries);
      this.writeChunk(ChunkKind.Index, index, 0, Math.max(0, this.lastTick), false);
      this.target.write(encodeFooter(indexOffset), this.position);
      this.position += 16;
    }
    this.state = 'closed';
    this.target.close();
  }

  /** Bytes written so far (whole chunks only). */
  get bytesWritten(): number {
    return this.position;
  }

  private flushTicks(): void {
    if (this.chunkTicks === 0) return;
    const payload = this.chunk.bytes.subarray(0, this.chunk.length);
    const entry = this.writeChunk(ChunkKind.Ticks, payload, this.chunkFirstTick, this.lastTick, this.options.deflate);
    this.entries.push({ ...entry, ticks: this.chunkTicks, moves: this.chunkMoves, events: this.chunkEvents });
    this.bytesSinceKeyframe += entry.storedLength;
    this.chunk.reset();
    this.chunkTicks = 0;
    this.chunkMoves = 0;
    this.chunkEvents = 0;
  }

  private writeKeyframe(): void {
    const out = new ByteWriter(1 << 16);
    encodeKeyframe(out, this.mirror);
    const payload = out.bytes.subarray(0, out.length);
    this.entries.push(this.writeChunk(ChunkKind.Keyframe, payload, this.lastTick, this.lastTick, this.options.deflate));
    // Prediction restarts here, so the chunks after a keyframe decode without anything before it.
    this.mirror.positions.resetVelocities();
    this.ticksSinceKeyframe = 0;
    this.bytesSinceKeyframe = 0;
    this.workSinceKeyframe = 0;
    this.lastKeyframeWork = this.mirror.meta.size + this.mirror.views.pairs;
  }

  private writeChunk(kind: number, raw: Uint8Array, firstTick: number, lastTick: number, deflate: boolean): ChunkEntry {
    let stored = raw;
    let flags = 0;
    if (deflate && raw.length > 64) {
      const packed = deflateRawSync(raw, { level: this.options.deflateLevel });
      if (packed.length < raw.length) {
        stored = packed;
        flags = CHUNK_DEFLATED;
      }
    }
    const frame = encodeFrame({
      kind,
      flags,
      storedLength: stored.length,
      rawLength: raw.length,
      firstTick,
      lastTick,
      payloadCrc: crc32(stored),
    });
    const whole = new Uint8Array(frame.length + stored.length);
    whole.set(frame);
    whole.set(stored, frame.length);
    const offset = this.position;
    this.target.write(whole, offset);
    this.position += whole.length;
    return { offset, kind, storedLength: stored.length, firstTick, lastTick };
  }
}

/** Opens `path` (truncating it) for writing a trace. */
export function openTraceWriter(path: string, options: TraceWriterOptions = {}): TraceWriter {
  return new TraceWriter(new FileTarget(path), options);
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw argument(`${name} must be a positive number, got ${value}.`);
  return value;
}

const argument = (message: string) => new TraceError(TraceErrorCode.InvalidArgument, message);
