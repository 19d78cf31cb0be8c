// Where a TraceWriter's chunks go out (trace-writer.ts): a chunk handed to the packer (inline, or workers with
// `background`) is remembered until its packed bytes come back; then it is written in order, one positional write at
// the end of the file, and indexed. The index and the footer close the file. Apart from the writer, which decides
// what goes in a chunk and when.

import type { SinkBacklog } from '../model/types.js';
import type { Packer } from './background-packer.js';
import { type ChunkEntry, encodeFooter, encodeIndex } from './chunk-index.js';
import { frameChunk } from './chunk-packer.js';
import type { WriteTarget } from './io.js';
import { ChunkKind } from './layout.js';
import type { PendingChunk } from './pending-chunk.js';

export class ChunkOutput {
  /** Bytes written so far: where the next write goes. */
  position = 0;
  /** Set when the writer begins; its chunks come back in the order they were submitted. */
  packer: Packer | undefined;
  /** Entities plus view pairs of the last keyframe written (what the keyframeWork rule weighs). */
  lastKeyframeWork = 0;
  /** The last keyframe is still with the packer, so lastKeyframeWork is not known yet. */
  keyframeAwaited = false;
  private readonly pending: PendingChunk[] = [];
  private readonly entries: ChunkEntry[] = [];

  /** `failed`: a worker or the target failed while chunks were drained, so chunks may be missing from then on. */
  constructor(
    private readonly target: WriteTarget,
    private readonly failed: () => void,
  ) {}

  /** Chunks indexed or still with the packer. */
  get chunks(): number {
    return this.entries.length + this.pending.length;
  }

  /** Remembers a chunk about to be submitted to the packer, to index it once its packed bytes are back. */
  expect(chunk: PendingChunk): void {
    this.pending.push(chunk);
  }

  /** Ticks and chunks not written yet, `open` ticks of the chunk being filled included. */
  backlog(open: number): SinkBacklog {
    let ticks = open;
    for (const chunk of this.pending) ticks += chunk.ticks ?? 0;
    return { ticks, chunks: this.pending.length };
  }

  /** Waits until the last keyframe submitted is back, and writes it and the chunks before it. */
  awaitKeyframe(): void {
    const at = this.pending.findIndex((chunk) => chunk.kind === ChunkKind.Keyframe);
    this.drain(this.pending.length - 1 - at);
  }

  /** Writes the packed chunks that are back, in order, after waiting until at most `pending` are left. */
  drain(pending: number | 'room'): void {
    try {
      for (const { bytes, storedLength, pairs } of this.packer!.collect(pending)) {
        const {
          kind,
          firstTick,
          lastTick,
          ticks,
          moves,
          events,
          entities,
          pairs: keyframePairs,
        } = this.pending.shift()!;
        if (kind === ChunkKind.Keyframe) {
          this.lastKeyframeWork = entities! + (keyframePairs ?? pairs);
          this.keyframeAwaited = false;
        }
        const offset = this.write(bytes);
        this.entries.push({ offset, kind, storedLength, firstTick, lastTick, ticks, moves, events });
      }
    } catch (error) {
      this.failed();
      throw error;
    }
  }

  /** The index chunk and the footer, after every chunk was drained. */
  finish(lastTick: number): void {
    const indexOffset = this.position;
    const index = encodeIndex(this.entries);
    this.write(frameChunk(ChunkKind.Index, index, 0, lastTick, -1).bytes);
    this.target.write(encodeFooter(indexOffset), this.position);
    this.position += 16;
  }

  /** One positional write at the end of the file; returns where it went. */
  write(bytes: Uint8Array): number {
    const offset = this.position;
    this.target.write(bytes, offset);
    this.position += bytes.length;
    return offset;
  }
}
