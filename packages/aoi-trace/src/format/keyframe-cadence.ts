// When a TraceWriter writes a keyframe (trace-writer.ts): the writer options keyframeInterval, keyframeBytes and
// keyframeWork each bound the replay since the last keyframe (stateAt's cost of a seek); the first one reached asks
// for a keyframe. Apart from the writer, which only tells what it wrote.

import type { TickRecord } from '../model/types.js';
import type { ChunkOutput } from './chunk-output.js';
import type { ResolvedWriterOptions } from './writer-options.js';

export class KeyframeCadence {
  private ticks = 0;
  private bytes = 0;
  private work = 0;

  constructor(
    private readonly options: ResolvedWriterOptions,
    private readonly output: ChunkOutput,
  ) {}

  /** Whether the replay since the last keyframe reached one of the bounds (may wait for the packer, see below). */
  due(): boolean {
    const { options } = this;
    return this.ticks >= options.keyframeInterval || this.bytes >= options.keyframeBytes || this.workReached();
  }

  /** A tick was encoded: its replay steps count. */
  tick(record: TickRecord): void {
    this.work +=
      record.moves.count + record.events.count + record.spawns.length + record.updates.length + record.despawns.length;
    this.ticks++;
  }

  /** A ticks chunk of `bytes` (before deflate) was flushed. */
  chunk(bytes: number): void {
    this.bytes += bytes;
  }

  /** A keyframe was written: the replay starts over. */
  restart(): void {
    this.ticks = 0;
    this.bytes = 0;
    this.work = 0;
  }

  /**
   * The keyframeWork rule. It needs the size of the last keyframe, which only the packer knows: wait for it (it is
   * at least keyframeWork steps old by now, so normally done), so the cadence never depends on thread timing.
   */
  private workReached(): boolean {
    if (this.work < this.options.keyframeWork) return false;
    const { output } = this;
    if (output.keyframeAwaited) output.awaitKeyframe();
    return this.work >= Math.max(this.options.keyframeWork, output.lastKeyframeWork / 2);
  }
}
