export { AoiError, AoiErrorCode, type AoiErrorFault } from './errors.js';
export { type CellCounts, type CellOccupancy, cellOccupancy, countCells } from './occupancy.js';
export type {
  AlgorithmName,
  AoiListener,
  AoiObserver,
  EntityOptions,
  EntitySnapshot,
  EventBatch,
  WorldOptions,
} from './types.js';
export { EventKind } from './types.js';
export type { UpdateLatency } from './update-timer.js';
export { MAX_COORDINATE, MAX_ID, MAX_RADIUS } from './validate.js';
export { AoiWorld } from './world.js';
export type { AoiStats, StatsOptions } from './world-stats.js';
