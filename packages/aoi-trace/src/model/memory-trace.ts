import { copyEvents, copyMoves } from './columns.js';
import type { TickRange, TickRecord, TraceHeader, TraceInput, TraceSink } from './types.js';

/** A whole trace in memory: a sink that keeps copies of what it is given, and an input over them. */
export class MemoryTrace implements TraceInput, TraceSink {
  private headerValue: TraceHeader | undefined;
  readonly records: TickRecord[] = [];

  constructor(header?: TraceHeader, records: readonly TickRecord[] = []) {
    this.headerValue = header;
    for (const record of records) this.writeTick(record);
  }

  get header(): TraceHeader {
    if (this.headerValue === undefined) throw new Error('MemoryTrace: no header yet (begin() was not called).');
    return this.headerValue;
  }

  begin(header: TraceHeader): void {
    this.headerValue = header;
  }

  writeTick(record: TickRecord): void {
    this.records.push({ ...record, moves: copyMoves(record.moves), events: copyEvents(record.events) });
  }

  *ticks(range: TickRange = {}): Iterable<TickRecord> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;
    for (const record of this.records) {
      if (record.tick > to) return;
      if (record.tick >= from) yield record;
    }
  }
}
