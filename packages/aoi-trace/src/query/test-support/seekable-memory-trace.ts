import { MemoryTrace } from '../../model/memory-trace.js';
import type { SeekableTraceInput, TickRange, TickRecord } from '../../model/types.js';
import { WorldState } from '../../model/world-state.js';

/**
 * A MemoryTrace that can seek, like the .aoitrace reader: keyframes every `every` ticks. Counts the records it
 * yields through `ticks()`, so tests can tell that a query used the seek instead of replaying.
 */
export class SeekableMemoryTrace extends MemoryTrace implements SeekableTraceInput {
  yielded = 0;
  seeks = 0;
  private readonly keyframes: WorldState[] = [];
  private readonly every: number;

  constructor(source: MemoryTrace, every = 8) {
    super(source.header, source.records);
    const state = new WorldState();
    source.records.forEach((record, i) => {
      state.apply(record);
      if (i % every === 0) this.keyframes.push(state.clone());
    });
    this.every = every;
  }

  override *ticks(range: TickRange = {}): Iterable<TickRecord> {
    for (const record of super.ticks(range)) {
      this.yielded++;
      yield record;
    }
  }

  stateAt(tick: number): WorldState {
    this.seeks++;
    let last = -1;
    for (let i = 0; i < this.records.length && this.records[i]!.tick <= tick; i++) last = i;
    if (last < 0) throw new Error(`stateAt(${tick}): before the first tick`);
    const k = Math.floor(last / this.every);
    const state = this.keyframes[k]!.clone();
    for (let i = k * this.every + 1; i <= last; i++) state.apply(this.records[i]!);
    return state;
  }
}
