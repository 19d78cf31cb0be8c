export { diffStates, type StateDiff, type WatcherViewDiff } from './diff-states.js';
export {
  type Capped,
  DIFF_ORDERS,
  type DiffOptions,
  diffTraces,
  type TickDiff,
  type TraceDiff,
} from './diff-traces.js';
export type { DiffEvent } from './event-compare.js';
export {
  DEFAULT_MESSAGE_SIZES,
  type Distribution,
  type EntityChurn,
  type FiguresOptions,
  FiguresStream,
  type MessageSizes,
  type TraceFigures,
  teeInput,
  traceFigures,
} from './figures.js';
export { compareFigures, type FigureComparison, HEADLINE_FIGURES } from './figures-compare.js';
export type { PositionDifference } from './position-differences.js';
export type { ViewDifference } from './view-differences.js';
