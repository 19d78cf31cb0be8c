import {
  type SeekableTraceInput,
  type TickRange,
  type TickRecord,
  type TraceInput,
  WorldState,
} from '@lanes/aoi-trace';

export interface ReplaySeekableOptions {
  /** A copy of the world is kept every this many ticks, so a seek replays at most this many. @default 256 */
  keyframeEvery?: number;
}

/**
 * Makes any {@link TraceInput} seekable by replaying it with {@link WorldState}, keeping keyframes as it goes (built
 * lazily, only as far as someone asked). The .aoitrace reader seeks with its own keyframes instead.
 */
export class ReplaySeekableTrace implements SeekableTraceInput {
  private readonly input: TraceInput;
  private readonly every: number;
  /** States after ticks, ascending by tick; the first is the empty world. */
  private readonly keyframes: WorldState[] = [new WorldState()];
  /** Everything up to this tick has been replayed into keyframes. */
  private replayedTo = -1;
  private done = false;

  constructor(input: TraceInput, options: ReplaySeekableOptions = {}) {
    this.input = input;
    this.every = Math.max(1, options.keyframeEvery ?? 256);
  }

  get header() {
    return this.input.header;
  }

  ticks(range?: TickRange): Iterable<TickRecord> {
    return this.input.ticks(range);
  }

  stateAt(tick: number): WorldState {
    this.extendTo(tick);
    const keyframe = this.keyframeBefore(tick);
    const state = keyframe.clone();
    if (keyframe.tick < tick)
      for (const record of this.input.ticks({ from: keyframe.tick + 1, to: tick })) state.apply(record);
    return state;
  }

  /** Replays from the last keyframe up to `tick`, leaving a keyframe every `every` ticks. */
  private extendTo(tick: number): void {
    if (this.done || tick <= this.replayedTo) return;
    const last = this.keyframes[this.keyframes.length - 1]!;
    const state = last.clone();
    let since = 0;
    let reachedEnd = true;
    for (const record of this.input.ticks({ from: last.tick + 1 })) {
      state.apply(record);
      if (++since >= this.every) {
        this.keyframes.push(state.clone());
        since = 0;
      }
      if (record.tick >= tick) {
        reachedEnd = false;
        break;
      }
    }
    this.replayedTo = Math.max(tick, state.tick);
    if (reachedEnd) this.done = true;
  }

  private keyframeBefore(tick: number): WorldState {
    let low = 0;
    let high = this.keyframes.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.keyframes[mid]!.tick <= tick) low = mid;
      else high = mid - 1;
    }
    return this.keyframes[low]!;
  }
}
