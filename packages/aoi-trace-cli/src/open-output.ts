import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { FdTextSink, NdjsonWriter, openTraceWriter, type TraceSink, type TraceWriterOptions } from '@lanes/aoi-trace';

export interface TraceOutput {
  sink: TraceSink;
  close(): void;
}

/**
 * A trace sink for an output path: NDJSON when the name ends in .ndjson, else .aoitrace (written with `options`,
 * e.g. its format version). Close it when done.
 */
export function openOutput(path: string, options: TraceWriterOptions = {}): TraceOutput {
  if (path.endsWith('.ndjson')) {
    const text = new FdTextSink(path);
    return { sink: new NdjsonWriter(text), close: () => text.close() };
  }
  const writer = openTraceWriter(path, options);
  return { sink: writer, close: () => writer.close() };
}

/**
 * Writes a whole trace to `path` through a temporary file renamed into place only when `fill` succeeds, so a
 * failed conversion leaves no half-written output (and an existing file untouched).
 */
export function writeOutputAtomically<T>(
  path: string,
  fill: (output: TraceOutput) => T,
  options: TraceWriterOptions = {},
): T {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial${extname(path)}`);
  const output = openOutput(temporary, options);
  try {
    const result = fill(output);
    output.close();
    renameSync(temporary, path);
    return result;
  } catch (error) {
    try {
      output.close();
    } catch {
      // The original error is the one worth reporting.
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}
