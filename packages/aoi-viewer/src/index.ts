export type {
  AnomalyFinding,
  DiffResult,
  EntityDetail,
  SearchResult,
  SourceInfo,
  ViewerInfo,
} from './protocol/api-types.js';
export type { TickBounds, ViewerDataSource } from './server/data-source.js';
export { FileDataSource, type FileDataSourceOptions } from './server/file-data-source.js';
export { LiveDataSource, type LiveDataSourceOptions } from './server/live-data-source.js';
export { type ReplaySeekableOptions, ReplaySeekableTrace } from './server/replay-seekable.js';
export { DEFAULT_CLIENT_DIR, type RunningViewer, startViewer, type ViewerOptions } from './server/start-viewer.js';
