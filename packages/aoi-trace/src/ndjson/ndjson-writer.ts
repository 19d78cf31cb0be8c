import { TraceError, TraceErrorCode } from '../errors.js';
import { FdTextSink, type TextSink } from '../export/text-sink.js';
import type { TickRecord, TraceHeader, TraceSink } from '../model/types.js';
import { ndjsonHeaderLine, ndjsonTickLine } from './ndjson-encode.js';

/**
 * A {@link TraceSink} that writes aoi-trace NDJSON. The target is a {@link TextSink} (a Node stream works; lines
 * end with `\n`), a file descriptor (buffered: call {@link flush} or {@link close}), or a string array (one line
 * per element, no newline).
 */
export class NdjsonWriter implements TraceSink {
  private readonly out: TextSink | undefined;
  private readonly lines: string[] | undefined;
  private readonly fdSink: FdTextSink | undefined;
  private begun = false;

  constructor(target: TextSink | number | string[]) {
    if (Array.isArray(target)) this.lines = target;
    else if (typeof target === 'number') this.out = this.fdSink = new FdTextSink(target);
    else this.out = target;
  }

  begin(header: TraceHeader): void {
    if (this.begun) throw new TraceError(TraceErrorCode.InvalidArgument, 'NdjsonWriter: begin() called twice.');
    this.begun = true;
    this.emit(ndjsonHeaderLine(header));
  }

  writeTick(record: TickRecord): void {
    if (!this.begun) throw new TraceError(TraceErrorCode.InvalidArgument, 'NdjsonWriter: writeTick() before begin().');
    this.emit(ndjsonTickLine(record));
  }

  /** Writes out what a file-descriptor target buffered; a no-op for other targets. */
  flush(): void {
    this.fdSink?.flush();
  }

  /** Flushes. The file descriptor stays open: whoever opened it closes it. */
  close(): void {
    this.fdSink?.close();
  }

  private emit(line: string): void {
    if (this.lines !== undefined) this.lines.push(line);
    else this.out!.write(`${line}\n`);
  }
}
