export * from './detect/index.js';
export * from './diff/index.js';
export { TraceError, TraceErrorCode, type TraceErrorDetails } from './errors.js';
export { type ChromeTraceSummary, exportChromeTrace } from './export/chrome-trace.js';
export { exportOtlp, type OtlpExportOptions, type OtlpExportSummary } from './export/otlp.js';
export { FdTextSink, StringTextSink, type TextSink } from './export/text-sink.js';
export type { CorruptChunk } from './format/chunk-scan.js';
export {
  type DamageEntry,
  type DamageType,
  describeDamage,
  type TickCoverage,
  type TickSpan,
  tickCoverage,
} from './format/damage-report.js';
export { FileTarget, MemoryTarget, type WriteTarget } from './format/io.js';
export {
  FILE_MAGIC,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  FORMAT_VERSIONS,
  type FormatVersion,
  NEWEST_FORMAT,
  PREDICTED_MAJOR,
  PREDICTED_MINOR,
} from './format/layout.js';
export {
  openTraceReader,
  readTraceBytes,
  type TraceIntegrity,
  TraceReader,
  type TraceReaderOptions,
} from './format/trace-reader.js';
export type { TraceStats } from './format/trace-stats.js';
export { openTraceWriter, TraceWriter } from './format/trace-writer.js';
export type { TraceWriterOptions } from './format/writer-options.js';
export {
  copyEvents,
  copyMoves,
  emptyEvents,
  emptyMoves,
  ensureEvents,
  ensureMoves,
  pushEvent,
  pushMove,
} from './model/columns.js';
export { eventKindAt } from './model/event-kind-name.js';
export { MemoryTrace } from './model/memory-trace.js';
export { stateOccupancy, type TraceCellSize, traceCellSize } from './model/occupancy.js';
export { regionOf, spatialHash } from './model/region.js';
export { positionLimit, TRACE_LIMITS } from './model/trace-limits.js';
export {
  type CauseMessage,
  type EntitySpawn,
  type EntityUpdate,
  EVENT_KIND_NAMES,
  type EventColumns,
  type MoveColumns,
  type SeekableTraceInput,
  type SinkBacklog,
  type SpanContext,
  type TickRange,
  type TickRecord,
  TraceEventKind,
  type TraceEventKindName,
  type TraceHeader,
  type TraceInput,
  type TraceResync,
  type TraceSink,
} from './model/types.js';
export { type ValidateOptions, validateTick } from './model/validate-tick.js';
export { type EntityState, WorldState } from './model/world-state.js';
export { ndjsonHeaderLine, ndjsonTickLine } from './ndjson/ndjson-encode.js';
export { NDJSON_FORMAT, NDJSON_VERSION, type NdjsonLine } from './ndjson/ndjson-format.js';
export { NdjsonReader, type NdjsonReaderOptions } from './ndjson/ndjson-reader.js';
export { NdjsonWriter } from './ndjson/ndjson-writer.js';
export { type ParseLineOptions, parseNdjsonLine } from './ndjson/parse-ndjson-line.js';
export { TickValidator } from './ndjson/tick-validator.js';
export * from './query/index.js';
export {
  CELL_SIZE_ATTRIBUTE,
  ENGINE_ATTRIBUTES,
  type RecordedEngineSettings,
  type RecordedSetting,
  recordedEngineSettings,
} from './record/engine-settings.js';
export { recordWorld, TraceRecorder } from './record/recorder.js';
export type { EndTickOptions, MessageOptions, RecorderOptions } from './record/recorder-options.js';
export type { RecorderStats } from './record/recorder-stats.js';
export { tagMaskOf, tagNamesOf } from './record/tag-names.js';
export * from './replay/index.js';
export { captureCpuProfile } from './serve/cpu-profile.js';
export {
  type IngestServer,
  type IngestServerOptions,
  type IngestStatus,
  type OpenSessionStatus,
  startIngestServer,
} from './serve/ingest-server.js';
export type {
  IngestSink,
  SessionEvent,
  SessionEventListener,
  SessionListener,
  TickListener,
} from './serve/ingest-sessions.js';
export type { IngestSessionSink, SessionInfo } from './serve/live-session.js';
export * from './shrink/index.js';
export * from './simulate/index.js';
