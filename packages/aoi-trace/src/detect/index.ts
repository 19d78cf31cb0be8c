export {
  type DetectionGap,
  type DetectionMode,
  type DetectionReport,
  DetectionStream,
  detect,
  detectTraceFile,
  type GroundTruthReport,
  groundTruth,
} from './detect.js';
export type { GroundTruthCounts } from './ground-truth.js';
export { type DetectOptions, type ResolvedDetectOptions, resolveDetectOptions } from './options.js';
export { transitionEntropy } from './oscillation.js';
export { DETECTOR_NAMES, type DetectorName, type Finding, sortFindings } from './types.js';
