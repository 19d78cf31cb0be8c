import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceHeader } from '../model/types.js';
import { DETECTOR_NAMES, type DetectorName } from './types.js';

export interface DetectOptions {
  /** Which detectors run. @default all */
  detectors?: readonly DetectorName[];
  /** Findings kept per detector (counts stay exact). @default 1000 */
  maxFindingsPerDetector?: number;
  /** torn-view: an asymmetric view or a despawned entity still in view is reported once it lasted more ticks. @default 0 */
  tornTicks?: number;
  /** delayed-broadcast and ground-truth: an event this many ticks late or less counts as on time. @default 0 */
  maxLagTicks?: number;
  /** adjacency: a contradiction that never got its event is reported when it lasted at least this many ticks. @default 1 */
  adjacencyTicks?: number;
  /** oscillation: window length in ticks. @default 20 */
  window?: number;
  /** oscillation: more transitions of one pair than this within `window` ticks is flapping. @default 4 */
  maxFlipsPerWindow?: number;
  /**
   * oscillation: an entity with more than `maxFlipsPerWindow` transitions in a window is flapping when its
   * transition sequence's entropy is at least this many bits below log2(transitions). @default 1
   */
  minEntropyDeficit?: number;
  /** oscillation: reversals per view edge per tick in a region above this is regional oscillation. @default 0.035 */
  maxRegionRate?: number;
  /**
   * Distances within this of a radius are ambiguous (stored positions are quantized): no finding either way.
   * @default 2 * header.quantum + 3 * header.epsilon
   */
  tolerance?: number;
  /** ground-truth: a due event still missing after this many ticks is reported as missing. @default 1000 */
  horizonTicks?: number;
}

export type ResolvedDetectOptions = Required<DetectOptions>;

const OPTION_KEYS = [
  'detectors',
  'maxFindingsPerDetector',
  'tornTicks',
  'maxLagTicks',
  'adjacencyTicks',
  'window',
  'maxFlipsPerWindow',
  'minEntropyDeficit',
  'maxRegionRate',
  'tolerance',
  'horizonTicks',
];

const bad = (path: string, message: string) =>
  new TraceError(TraceErrorCode.InvalidArgument, `${path} ${message}`, { path: `$.${path}` });

function num(value: unknown, path: string, fallback: number, integer: boolean, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw bad(path, `must be ${integer ? 'an integer' : 'a number'} >= ${min} (got ${JSON.stringify(value)}).`);
  }
  return value;
}

/** Fills in defaults (some depend on the header) and checks every option. */
export function resolveDetectOptions(options: DetectOptions, header: TraceHeader): ResolvedDetectOptions {
  if (typeof options !== 'object' || options === null) throw bad('options', 'must be an object.');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw bad(key, `is not an option (known: ${OPTION_KEYS.join(', ')}).`);
  }
  const detectors = options.detectors ?? DETECTOR_NAMES;
  if (!Array.isArray(detectors)) throw bad('detectors', 'must be an array of detector names.');
  for (const [i, name] of detectors.entries()) {
    if (!DETECTOR_NAMES.includes(name)) {
      throw bad(`detectors[${i}]`, `is ${JSON.stringify(name)}, not one of ${DETECTOR_NAMES.join(', ')}.`);
    }
  }
  return {
    detectors: [...new Set(detectors)],
    maxFindingsPerDetector: num(options.maxFindingsPerDetector, 'maxFindingsPerDetector', 1000, true, 0),
    tornTicks: num(options.tornTicks, 'tornTicks', 0, true, 0),
    maxLagTicks: num(options.maxLagTicks, 'maxLagTicks', 0, true, 0),
    adjacencyTicks: num(options.adjacencyTicks, 'adjacencyTicks', 1, true, 1),
    window: num(options.window, 'window', 20, true, 1),
    maxFlipsPerWindow: num(options.maxFlipsPerWindow, 'maxFlipsPerWindow', 4, true, 1),
    minEntropyDeficit: num(options.minEntropyDeficit, 'minEntropyDeficit', 1, false, 0),
    maxRegionRate: num(options.maxRegionRate, 'maxRegionRate', 0.035, false, 0),
    tolerance: num(options.tolerance, 'tolerance', 2 * header.quantum + 3 * header.epsilon, false, 0),
    horizonTicks: num(options.horizonTicks, 'horizonTicks', 1000, true, 1),
  };
}
