// The streaming .aoitrace writer: ticks are encoded into one chunk buffer that is flushed (one positional write per
// chunk) when it reaches its byte or tick budget, so memory stays bounded and a crash leaves only whole chunks
// behind. Keyframes are written between chunks when the replay since the last one would get too long. The caller's
// thread encodes ticks and keyframe entities; view-set upkeep, keyframe views, deflate and checksums are the packer's
// (inline, or two workers with `background`), and the packed chunks come back here to be written in order. Format 3.x
// with `background` runs this whole writer on a worker (threaded-writer.ts). When a keyframe is due is
// keyframe-cadence.ts's, a keyframe's payload keyframe-payload.ts's, the per-tick refusals are tick-fits.ts's, a
// resync is mirror-resync.ts's, and the chunks' way out of the packer into the file (in order, indexed) is
// chunk-output.ts's.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { SinkBacklog, TickRecord, TraceHeader, TraceSink } from '../model/types.js';
import { invalidTick } from '../model/world-rules.js';
import type { WorldState } from '../model/world-state.js';
import { BackgroundPacker, InlinePacker } from './background-packer.js';
import { ByteWriter } from './byte-writer.js';
import { ChunkOutput } from './chunk-output.js';
import { frameChunk } from './chunk-packer.js';
import { EventPredictor } from './event-predictor.js';
import { encodeHeader } from './header-codec.js';
import { FileTarget, type WriteTarget } from './io.js';
import { KeyframeCadence } from './keyframe-cadence.js';
import { encodeKeyframe } from './keyframe-payload.js';
import {
  ChunkKind,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  PREDICTED_MAJOR,
  predictedMinorOf,
} from './layout.js';
import { beyondLimit, Limits, tickCost } from './limits.js';
import { loadPredictorFrom, resyncMirror } from './mirror-resync.js';
import type { PendingChunk } from './pending-chunk.js';
import { Quantizer } from './quantizer.js';
import { SlotOrder } from './slot-order.js';
import { StringTableWriter } from './string-table.js';
import { ThreadedWriter } from './threaded-writer.js';
import { TickEncoder } from './tick-encoder.js';
import { checkPredictionFits, checkTickFits } from './tick-fits.js';
import type { ChunkContext } from './tick-layout.js';
import { WorldMirror } from './world-mirror.js';
import { type ResolvedWriterOptions, resolveWriterOptions, type TraceWriterOptions } from './writer-options.js';

/** Writes a trace to a {@link WriteTarget} (a file, or memory). Call {@link TraceWriter.close} to write the index. */
export class TraceWriter implements TraceSink {
  private readonly target: WriteTarget;
  private readonly options: ResolvedWriterOptions;
  private readonly chunk = new ByteWriter(1 << 18);
  private readonly strings = new StringTableWriter();
  private readonly mirror = new WorldMirror();
  private encoder: TickEncoder | undefined;
  /** Format 3: the reader's prediction, kept in step with the ticks written. */
  private predictor: EventPredictor | undefined;
  /** Format 3.1: the slot allocation the canonical event order follows (slot-order.ts), stored in keyframes. */
  private slots: SlotOrder | undefined;
  private quantizer: Quantizer | undefined;
  private readonly context: ChunkContext = { prevTick: -1, prevTime: 0, nextEventBase: 0 };
  private readonly output: ChunkOutput;
  /** Format 3.x with `background`: this writer runs on a worker, and every call goes to it. */
  private threaded: ThreadedWriter | undefined;
  private chunkFirstTick = -1;
  private chunkTicks = 0;
  private chunkMoves = 0;
  private chunkEvents = 0;
  /** Decoded cost of the chunk's ticks, as a reader will charge it (limits.ts). */
  private chunkCost = 0;
  private lastTick = -1;
  private readonly cadence: KeyframeCadence;
  private state: 'new' | 'open' | 'failed' | 'closed' = 'new';

  constructor(target: WriteTarget, options: TraceWriterOptions = {}) {
    this.target = target;
    this.options = resolveWriterOptions(options);
    this.output = new ChunkOutput(target, () => {
      // Chunks may be missing, so no further tick may be written after them.
      if (this.state !== 'closed') this.state = 'failed';
    });
    this.cadence = new KeyframeCadence(this.options, this.output);
  }

  begin(header: TraceHeader): void {
    if (this.state !== 'new') throw argument('begin: called twice.');
    const minor = predictedMinorOf(this.options.format);
    if (this.options.background && minor !== undefined) {
      this.threaded = new ThreadedWriter(this.target, this.options, header);
      this.state = 'open';
      return;
    }
    const payload = encodeHeader(header);
    const fileHeader = new Uint8Array(FILE_HEADER_BYTES);
    fileHeader.set(FILE_MAGIC);
    const view = new DataView(fileHeader.buffer);
    view.setUint16(8, minor !== undefined ? PREDICTED_MAJOR : FORMAT_MAJOR, true);
    view.setUint16(10, minor ?? FORMAT_MINOR, true);
    this.output.write(fileHeader);
    this.output.write(frameChunk(ChunkKind.Header, payload, 0, 0, -1).bytes);
    this.output.packer = this.options.background
      ? new BackgroundPacker(this.options.backgroundQueue)
      : new InlinePacker();
    this.quantizer = new Quantizer(header.quantum);
    if (minor !== undefined) this.predictor = new EventPredictor({ leaveHeightFollowsView: minor >= 1 });
    if (minor !== undefined && minor >= 1) this.slots = new SlotOrder();
    this.encoder = new TickEncoder(this.mirror, this.quantizer, header.epsilon, this.predictor, this.slots);
    this.state = 'open';
  }

  /**
   * Encodes one tick. A record that breaks the model's rules throws INVALID_RECORD; the writer then refuses further
   * ticks, and close() keeps every tick before the bad one.
   */
  writeTick(record: TickRecord): void {
    if (this.threaded !== undefined) return void this.threaded.writeTick(record);
    if (this.state !== 'open')
      throw argument(`writeTick: the writer is ${this.state === 'new' ? 'not begun' : this.state}.`);
    const { options } = this;
    if (record.resync !== undefined) this.resync(record.resync.state, record.tick);
    const cost = tickCost(record);
    if (cost > Limits.chunkDecodedBytes) {
      throw beyondLimit(
        `tick ${record.tick} would decode to ${cost} bytes, over the ${Limits.chunkDecodedBytes}-byte chunk limit`,
      );
    }
    if (
      this.chunkTicks > 0 &&
      (this.chunk.length >= options.chunkBytes ||
        this.chunkTicks >= options.chunkTicks ||
        this.chunkCost + cost > Limits.chunkDecodedBytes ||
        this.encoder!.predictionWork >= Limits.predictionWork / 2)
    ) {
      this.flushTicks();
    }
    if (this.lastTick >= 0 && this.cadence.due()) {
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
    const logStart = this.mirror.viewLog.length;
    // The most entities alive during the tick: the reader counts spawns before the tick's despawns.
    const peakEntities = this.mirror.meta.size + record.spawns.length;
    const workBefore = this.encoder!.predictionWork;
    try {
      this.chunkMoves += this.encoder!.encode(this.chunk, this.strings, record, this.context);
      checkTickFits(record.tick, this.chunk.length - start, peakEntities);
      checkPredictionFits(record.tick, this.encoder!.predictionWork - workBefore);
    } catch (error) {
      this.chunk.length = start;
      this.mirror.viewLog.truncate(logStart);
      this.state = 'failed';
      throw error;
    }
    this.chunkEvents += record.events.count;
    this.chunkCost += cost;
    this.cadence.tick(record);
    this.chunkTicks++;
    this.lastTick = record.tick;
  }

  /**
   * Ends the current chunk and writes every chunk so far to the target (with `background`, waits for the workers).
   * Not needed for safety (chunks go out as they fill); for a checkpoint, or to start a measurement with nothing queued.
   */
  flush(): void {
    if (this.threaded !== undefined) return void this.threaded.flush();
    if (this.state !== 'open')
      throw argument(`flush: the writer is ${this.state === 'new' ? 'not begun' : this.state}.`);
    this.flushTicks();
    this.output.drain(0);
  }

  /** Flushes the last chunk, writes the index and the footer, and closes the target. */
  close(): void {
    if (this.threaded !== undefined) return void this.threaded.close();
    if (this.state === 'closed') return;
    const begun = this.state !== 'new';
    this.state = 'closed';
    try {
      if (begun) {
        this.flushTicks();
        this.output.drain(0);
        this.output.finish(Math.max(0, this.lastTick));
      }
    } finally {
      this.output.packer?.close();
      this.target.close();
    }
  }

  /** Bytes written so far (whole chunks only; with `background`, not those still with the worker). */
  get bytesWritten(): number {
    return this.threaded?.bytesWritten ?? this.output.position;
  }

  /** Ticks and chunks accepted and not yet written: the recorder's "event backlog" on the file side. */
  backlog(): SinkBacklog {
    if (this.threaded !== undefined) return this.threaded.backlog();
    return this.output.backlog(this.chunkTicks);
  }

  /** Ticks were lost before `tick`: the world is `state` now, written as a keyframe (see mirror-resync.ts). */
  private resync(state: WorldState, tick: number): void {
    if (!(state.tick > this.lastTick && state.tick < tick)) {
      this.state = 'failed';
      throw invalidTick(
        tick,
        `resync to tick ${state.tick} does not fit between tick ${this.lastTick} and tick ${tick}.`,
      );
    }
    this.flushTicks();
    try {
      resyncMirror(this.mirror, state, this.quantizer!);
      if (this.predictor !== undefined) loadPredictorFrom(this.predictor, state, this.quantizer!);
      // The engine's slots are not known after lost ticks: the resync keyframe gives them in id order.
      this.slots?.load([...state.entities.keys()].sort((a, b) => a - b).map((id, slot) => [id, slot] as const));
    } catch (error) {
      this.state = 'failed';
      throw error;
    }
    this.lastTick = state.tick;
    this.writeKeyframe();
  }

  private flushTicks(): void {
    if (this.chunkTicks === 0) return;
    const chunk = {
      kind: ChunkKind.Ticks,
      firstTick: this.chunkFirstTick,
      lastTick: this.lastTick,
      ticks: this.chunkTicks,
      moves: this.chunkMoves,
      events: this.chunkEvents,
    };
    const raw = this.chunk.toBytes();
    // Emptied before the hand-over: a chunk the packer refuses is dropped, not handed over again by close().
    this.chunk.reset();
    this.encoder!.predictionWork = 0;
    this.chunkTicks = 0;
    this.chunkMoves = 0;
    this.chunkEvents = 0;
    this.chunkCost = 0;
    this.submit(chunk, raw);
    this.cadence.chunk(raw.length);
  }

  private writeKeyframe(): void {
    const { slots, predictor } = this;
    const raw = encodeKeyframe(this.mirror, this.quantizer!, predictor, slots);
    const entities = this.mirror.meta.size;
    const pairs = slots !== undefined ? predictor?.views.pairs : undefined;
    this.submit(
      { kind: ChunkKind.Keyframe, firstTick: this.lastTick, lastTick: this.lastTick, entities, pairs },
      raw,
      slots !== undefined,
    );
    this.output.keyframeAwaited = true;
    // Prediction restarts here, so the chunks after a keyframe decode without anything before it.
    this.mirror.positions.resetVelocities();
    this.cadence.restart();
  }

  /**
   * Hands a chunk to the packer with the view changes logged since the last one, then writes what is packed. A chunk
   * refused (a limit) fails the writer: no later tick may land after the hole, and close() keeps the chunks before.
   */
  private submit(chunk: PendingChunk, raw: Uint8Array, complete = false): void {
    const level = this.options.deflate ? this.options.deflateLevel : -1;
    const { output } = this;
    try {
      if (output.chunks >= Limits.chunks) {
        throw beyondLimit(`the trace reached ${Limits.chunks} chunks; record into a new file`);
      }
      // Format 3.1 logs no view changes for the packer (tick-encoder.ts): its limit is checked here, on the predictor's.
      if (this.slots !== undefined && this.predictor!.views.pairs > Limits.viewPairs) {
        throw beyondLimit(
          `the world at tick ${chunk.lastTick} has ${this.predictor!.views.pairs} view pairs, over the limit of ${Limits.viewPairs}`,
        );
      }
      // The inline packer packs (and checks 2.x's view-pair limit) now, so the chunk is expected only once accepted.
      output.packer!.submit({ ...chunk, raw, changes: this.mirror.viewLog.take(), level, complete });
    } catch (error) {
      this.state = 'failed';
      throw error;
    }
    output.expect(chunk);
    output.drain('room');
  }
}

/** Opens `path` (truncating it) for writing a trace. */
export function openTraceWriter(path: string, options: TraceWriterOptions = {}): TraceWriter {
  return new TraceWriter(new FileTarget(path), options);
}

const argument = (message: string) => new TraceError(TraceErrorCode.InvalidArgument, message);
