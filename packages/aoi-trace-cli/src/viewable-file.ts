import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { NdjsonReader, openTraceWriter } from '@lanes/aoi-trace';
import { copyTrace } from './copy-trace.js';
import { traceFileKind } from './open-input.js';

/** A file the viewer can open, and how to clean up after it. */
export interface ViewableFile {
  /** An .aoitrace file: the viewer seeks through its index. */
  path: string;
  remove(): void;
}

/**
 * The viewer reads .aoitrace files (it seeks to any tick through the index). An NDJSON file (a repro from
 * `aoi-trace shrink`, a trace from another server) is validated and imported into a temporary .aoitrace first, as
 * `aoi-trace import` would; a bad line stops it with its line number.
 */
export function viewableFile(path: string): ViewableFile {
  if (traceFileKind(path) === 'aoitrace') return { path, remove: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-view-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const imported = join(dir, `${basename(path)}.aoitrace`);
    const writer = openTraceWriter(imported);
    try {
      copyTrace(new NdjsonReader(path), writer);
    } finally {
      writer.close();
    }
    return { path: imported, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
