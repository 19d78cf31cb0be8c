import { TraceError, TraceErrorCode } from '../errors.js';

/** A line longer than the limit: the ingest server answers 413 for it, the reader fails. */
export class LineTooLongError extends TraceError {
  constructor(line: number, maxLineBytes: number) {
    super(TraceErrorCode.InvalidRecord, `line ${line}: longer than the limit of ${maxLineBytes} bytes.`, {
      line,
      path: '$',
    });
  }
}

/**
 * Cuts a byte stream into text lines as chunks arrive, with bounded memory: a line over `maxLineBytes` fails as
 * soon as that many bytes are buffered, not when its newline finally comes. Accepts `\n` and `\r\n`, skips a
 * leading byte-order mark and blank lines (they still count for line numbers).
 */
export class LineSplitter {
  /** Lines seen so far, blank ones included. */
  lineCount = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Calls `onLine` for each line that `chunk` completes. The chunk may be reused after this returns. */
  push(chunk: Buffer, onLine: (line: string, lineNumber: number) => void): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) break;
      if (this.pendingBytes + newline - start > this.maxLineBytes) this.tooLong();
      let bytes = chunk.subarray(start, newline);
      if (this.pendingBytes > 0) {
        this.pending.push(bytes);
        bytes = Buffer.concat(this.pending);
        this.pending = [];
        this.pendingBytes = 0;
      }
      start = newline + 1;
      this.emit(bytes, onLine);
    }
    if (start < chunk.length) {
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) this.tooLong();
    }
  }

  /** The last line, when the input does not end with a newline. */
  end(onLine: (line: string, lineNumber: number) => void): void {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(bytes, onLine);
  }

  private emit(bytes: Buffer, onLine: (line: string, lineNumber: number) => void): void {
    const lineNumber = ++this.lineCount;
    let text = bytes.toString('utf8');
    if (lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    onLine(text, lineNumber);
  }

  private tooLong(): never {
    throw new LineTooLongError(this.lineCount + 1, this.maxLineBytes);
  }
}
