import type { SourceId } from '../../src/protocol/api-types.js';
import type { TickFrame } from '../../src/protocol/wire.js';
import { api } from './api.js';
import { EntityTable } from './entity-table.js';

/** Bytes of tick data one window request aims at (the window length adapts to the entity count). */
const WINDOW_BYTES = 6_000_000;
/** Ticks per second at 1x. */
export const BASE_TICKS_PER_SECOND = 30;

/**
 * The playhead and the data behind it: the entity table at the current tick, plus the ticks just after it,
 * streamed in windows. Forward moves apply prefetched ticks; other seeks load the state at the target. Only the
 * latest seek is loaded (dragging the scrubber does not queue a request per pixel).
 */
export class Playback {
  readonly table = new EntityTable();
  first = 0;
  last = 0;
  playing = false;
  speed = 1;
  /** Fractional playhead while playing. */
  private position = 0;
  private readonly frames = new Map<number, TickFrame>();
  /** Every tick in (table.tick, loadedTo] is in `frames` or has no record. */
  private loadedTo = -1;
  private target = -1;
  private loadingState = false;
  private fetching: AbortController | undefined;
  private generation = 0;
  onChange: () => void = () => {};
  onError: (error: Error) => void = () => {};
  /** Playing reached the last tick (and stopped there). */
  onEnd: () => void = () => {};

  constructor(readonly source: SourceId) {}

  get tick(): number {
    return this.table.tick;
  }

  /** Where the playhead is going: the last tick asked for, while its data may still be loading. */
  get targetTick(): number {
    return this.target;
  }

  get ready(): boolean {
    return !this.loadingState && this.table.tick === this.target;
  }

  setBounds(first: number, last: number): void {
    this.first = first;
    this.last = last;
    this.prefetch();
  }

  seek(tick: number): void {
    const t = Math.max(this.first, Math.min(this.last, Math.round(tick)));
    this.target = t;
    this.position = t;
    this.advance();
  }

  /** Called once per animation frame: moves the playhead when playing. */
  step(dtSeconds: number): void {
    if (!this.playing) return;
    // Only a playhead that is (and stays) at the end stops: after Play at the last tick has sought back to the
    // start, the table still shows the last tick until the start has loaded.
    if (this.table.tick >= this.last && this.target >= this.last) {
      this.playing = false;
      this.onEnd();
      this.onChange();
      return;
    }
    // Never run ahead of the data: a stalled stream pauses the picture, it does not skip ticks.
    this.position = Math.min(this.position + dtSeconds * BASE_TICKS_PER_SECOND * this.speed, this.loadedTo + 0.999);
    const next = Math.floor(this.position);
    if (next > this.table.tick) {
      this.target = next;
      this.advance();
    }
    this.prefetch();
  }

  private advance(): void {
    const t = this.target;
    if (t === this.table.tick || this.loadingState) return;
    if (t > this.table.tick && t <= this.loadedTo) {
      for (let k = this.table.tick + 1; k <= t; k++) {
        const frame = this.frames.get(k);
        if (frame === undefined) continue;
        this.frames.delete(k);
        this.table.apply(frame);
      }
      this.table.tick = t;
      this.onChange();
      this.prefetch();
      return;
    }
    void this.loadState(t);
  }

  private async loadState(t: number): Promise<void> {
    this.loadingState = true;
    this.fetching?.abort();
    this.fetching = undefined;
    this.generation++;
    this.frames.clear();
    try {
      const frame = await api.state(this.source, t);
      this.table.load(frame);
      this.table.tick = t;
      this.loadedTo = t;
      if (this.position < t) this.position = t;
    } catch (error) {
      this.target = this.table.tick;
      this.onError(error as Error);
    } finally {
      this.loadingState = false;
    }
    this.onChange();
    if (this.target !== this.table.tick) this.advance();
    this.prefetch();
  }

  /** Keeps about a window (or 1.5 s of play) of ticks ahead of the playhead. */
  private prefetch(): void {
    if (this.fetching || this.loadingState || this.table.tick < 0 || this.loadedTo >= this.last) return;
    const windowTicks = Math.max(4, Math.min(512, Math.floor(WINDOW_BYTES / Math.max(1, this.table.count * 12))));
    const ahead = Math.max(windowTicks, BASE_TICKS_PER_SECOND * this.speed * 1.5);
    if (this.loadedTo - this.table.tick >= ahead) return;
    const from = this.loadedTo + 1;
    const to = Math.min(this.last, from + windowTicks - 1);
    const controller = new AbortController();
    const generation = this.generation;
    this.fetching = controller;
    api
      .ticks(
        this.source,
        from,
        to,
        (frame) => {
          if (generation !== this.generation) return;
          this.frames.set(frame.tick, frame);
          this.loadedTo = Math.max(this.loadedTo, frame.tick);
          if (this.target > this.table.tick) this.advance();
        },
        controller.signal,
      )
      .then(() => {
        if (generation === this.generation) this.loadedTo = Math.max(this.loadedTo, to);
      })
      .catch((error: Error) => {
        if (error.name !== 'AbortError') this.onError(error);
      })
      .finally(() => {
        if (this.fetching === controller) this.fetching = undefined;
        if (generation === this.generation) {
          if (this.target > this.table.tick) this.advance();
          this.prefetch();
        }
      });
  }
}
