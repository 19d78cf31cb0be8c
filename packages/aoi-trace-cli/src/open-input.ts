import { closeSync, openSync, readSync } from 'node:fs';
import {
  FILE_MAGIC,
  NdjsonReader,
  openTraceReader,
  TraceError,
  TraceErrorCode,
  type TraceInput,
  type TraceReader,
} from '@lanes/aoi-trace';

/** What an input file is, told by its first bytes (not its name). */
export function traceFileKind(path: string): 'aoitrace' | 'ndjson' {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `cannot open ${path}: ${(error as Error).message}`);
  }
  try {
    const head = new Uint8Array(FILE_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.every((b, i) => b === FILE_MAGIC[i]) ? 'aoitrace' : 'ndjson';
  } finally {
    closeSync(fd);
  }
}

/** Opens an .aoitrace or aoi-trace NDJSON file for reading. */
export function openInput(path: string): TraceInput & { close?(): void } {
  return traceFileKind(path) === 'aoitrace' ? openTraceReader(path) : new NdjsonReader(path);
}

/** Opens an .aoitrace file (commands that need seeking or integrity information). */
export function openAoitrace(path: string): TraceReader {
  if (traceFileKind(path) !== 'aoitrace') {
    throw new TraceError(
      TraceErrorCode.BadFormat,
      `${path} is not an .aoitrace file; convert NDJSON first with 'aoi-trace import ${path} --out <file.aoitrace>'.`,
    );
  }
  return openTraceReader(path);
}
