export { TraceError, TraceErrorCode, type TraceErrorDetails } from './errors.js';
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
export { MemoryTrace } from './model/memory-trace.js';
export { regionOf, spatialHash } from './model/region.js';
export {
  type CauseMessage,
  type EntitySpawn,
  type EntityUpdate,
  EVENT_KIND_NAMES,
  type EventColumns,
  type MoveColumns,
  type SeekableTraceInput,
  type SpanContext,
  type TickRange,
  type TickRecord,
  TraceEventKind,
  type TraceEventKindName,
  type TraceHeader,
  type TraceInput,
  type TraceSink,
} from './model/types.js';
export { type EntityState, WorldState } from './model/world-state.js';
export {
  type EndTickOptions,
  type MessageOptions,
  type RecorderOptions,
  recordWorld,
  TraceRecorder,
} from './record/recorder.js';
export { tagMaskOf, tagNamesOf } from './record/tag-names.js';
