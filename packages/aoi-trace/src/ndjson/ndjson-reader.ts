import { closeSync, openSync, readSync } from 'node:fs';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { DamageEntry } from '../format/damage-report.js';
import type { TickRange, TickRecord, TraceHeader, TraceInput } from '../model/types.js';
import type { ValidateOptions } from '../model/validate-tick.js';
import { ndjsonError } from './json-fields.js';
import { LineSplitter } from './line-splitter.js';
import { parseNdjsonLine } from './parse-ndjson-line.js';
import { TickValidator } from './tick-validator.js';

export interface NdjsonReaderOptions extends ValidateOptions {
  /** A longer line fails (a tick with a million moves is about 40 MB). @default 256 MiB */
  readonly maxLineBytes?: number;
  /** Bytes per read. @default 64 KiB */
  readonly blockBytes?: number;
}

interface Line {
  readonly text: string;
  readonly number: number;
}

/**
 * Reads an aoi-trace NDJSON file as a {@link TraceInput}: line by line with synchronous block reads (memory
 * bounded by the longest line), each tick validated against the trace so far. Throws TraceError with `line` and
 * `path` at the first bad line; the ticks before it have been yielded.
 */
export class NdjsonReader implements TraceInput {
  readonly header: TraceHeader;
  private readonly path: string;
  private readonly options: NdjsonReaderOptions;
  private readonly gaps = new Map<number, DamageEntry>();

  constructor(path: string, options: NdjsonReaderOptions = {}) {
    this.path = path;
    this.options = options;
    let header: TraceHeader | undefined;
    for (const line of this.lines()) {
      const parsed = parseNdjsonLine(line.text, line.number);
      if (parsed.type !== 'header') throw ndjsonError(line.number, '$.type', 'the first line must be the header.');
      header = parsed.header;
      break;
    }
    if (header === undefined) {
      throw new TraceError(TraceErrorCode.BadFormat, `${path}: empty; an aoi-trace NDJSON file starts with a header.`);
    }
    this.header = header;
  }

  *ticks(range: TickRange = {}): Iterable<TickRecord> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;
    const validator = new TickValidator(this.header, this.options);
    let first = true;
    for (const line of this.lines()) {
      if (first) {
        first = false; // the header, read by the constructor
        continue;
      }
      const parsed = parseNdjsonLine(line.text, line.number, { eventBase: validator.nextEventId });
      if (parsed.type !== 'tick') {
        throw ndjsonError(line.number, '$.type', 'a second header; an NDJSON file holds one trace.');
      }
      const record = parsed.record;
      if (record.tick > to) return;
      const error = validator.check(record, line.number);
      if (error !== undefined) throw error;
      validator.apply(record);
      if (record.resync !== undefined) this.noteGap(record, line.number);
      if (record.tick >= from) yield record;
    }
  }

  /** Gaps recorded in the file (tick lines with `resync`) met so far, as the .aoitrace reader reports them. */
  get damageReport(): DamageEntry[] {
    return [...this.gaps.values()];
  }

  private noteGap(record: TickRecord, line: number): void {
    const { state, lostFrom, reason } = record.resync!;
    const ticksLost = lostFrom === null ? null : state.tick - lostFrom + 1;
    this.gaps.set(line, {
      ...{ type: 'gap', offset: line, chunk: 'line', reason, fromTick: lostFrom, toTick: state.tick, ticksLost },
      resumeTick: record.tick,
    });
  }

  /** Non-blank lines, read block by block; the file is closed when iteration ends or is abandoned. */
  private *lines(): Generator<Line> {
    const fd = openSync(this.path, 'r');
    try {
      const block = Buffer.allocUnsafe(this.options.blockBytes ?? 1 << 16);
      const splitter = new LineSplitter(this.options.maxLineBytes ?? 256 * 1024 * 1024);
      const ready: Line[] = [];
      const collect = (text: string, number: number) => ready.push({ text, number });
      for (;;) {
        const read = readSync(fd, block, 0, block.length, null);
        if (read === 0) break;
        splitter.push(block.subarray(0, read), collect);
        yield* ready;
        ready.length = 0;
      }
      splitter.end(collect);
      yield* ready;
    } finally {
      closeSync(fd);
    }
  }
}
