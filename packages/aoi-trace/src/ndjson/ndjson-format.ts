// The constants of the aoi-trace NDJSON format (docs/aoi-trace-ndjson.md), shared by the reader, writer and ingest.

import type { TickRecord, TraceHeader } from '../model/types.js';

export const NDJSON_FORMAT = 'aoi-trace-ndjson';
export const NDJSON_VERSION = 1;

/** What a header line may leave out. `source` and `startTime` defaults mean "unknown". */
export const NDJSON_HEADER_DEFAULTS: TraceHeader = {
  source: 'unknown',
  startTime: 0,
  regionSize: 64,
  quantum: 1 / 1024,
  epsilon: 0,
  tagNames: [],
  attributes: {},
};

/** One parsed line: a header starts a trace (or a live session), a tick continues it. */
export type NdjsonLine =
  | { readonly type: 'header'; readonly header: TraceHeader }
  | { readonly type: 'tick'; readonly record: TickRecord };
