import type { TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { DivergenceDetector } from './divergence.js';
import { type GroundTruthCounts, GroundTruthDetector } from './ground-truth.js';
import { type DetectOptions, type ResolvedDetectOptions, resolveDetectOptions } from './options.js';
import { OscillationDetector } from './oscillation.js';
import { TickGeometry } from './tick-geometry.js';
import { TornViewDetector } from './torn-view.js';
import { type Detector, type DetectorName, type Finding, FindingLog, pairKey } from './types.js';

export interface DetectionReport {
  /** Ticks read. */
  ticks: number;
  firstTick: number;
  lastTick: number;
  /** The options used, defaults filled in (the thresholds). */
  thresholds: ResolvedDetectOptions;
  /** Exact number of findings per detector (0 for those not run). */
  counts: Record<DetectorName, number>;
  /** Findings of each detector up to `maxFindingsPerDetector`, in the order found. */
  findings: Finding[];
  /** Detectors whose findings were cut at the cap. */
  truncated: DetectorName[];
  /** Present when the ground-truth detector ran. */
  groundTruth?: GroundTruthCounts;
}

export interface GroundTruthReport {
  ticks: number;
  thresholds: ResolvedDetectOptions;
  counts: GroundTruthCounts;
  /** Every missing, extra and late event, up to `maxFindingsPerDetector`. */
  findings: Finding[];
  truncated: boolean;
}

/**
 * Runs the selected detectors in one pass over `input.ticks()`, keeping only the replayed world, the open
 * anomalies and bounded windows (never the whole trace).
 */
export function detect(input: TraceInput, options: DetectOptions = {}): DetectionReport {
  const resolved = resolveDetectOptions(options, input.header);
  const log = new FindingLog(resolved.maxFindingsPerDetector);
  const selected = new Set(resolved.detectors);
  const detectors: Detector[] = [];
  if (selected.has('torn-view')) detectors.push(new TornViewDetector(resolved, log));
  if (selected.has('delayed-broadcast') || selected.has('adjacency')) {
    detectors.push(new DivergenceDetector(resolved, log, selected.has('delayed-broadcast'), selected.has('adjacency')));
  }
  if (selected.has('oscillation')) detectors.push(new OscillationDetector(resolved, log, input.header.regionSize));
  const truth = selected.has('ground-truth') ? new GroundTruthDetector(resolved, log) : undefined;
  if (truth) detectors.push(truth);

  const state = new WorldState();
  const geometry = new TickGeometry(resolved.tolerance);
  let ticks = 0;
  let firstTick = -1;
  for (const record of input.ticks()) {
    state.apply(record);
    geometry.load(state);
    let pairs: Set<string> | undefined;
    const touched = (watcher: number, target: number) => {
      if (pairs === undefined) {
        pairs = new Set();
        const { events } = record;
        for (let i = 0; i < events.count; i++) pairs.add(pairKey(events.watchers[i]!, events.targets[i]!));
      }
      return pairs.has(pairKey(watcher, target));
    };
    for (const detector of detectors) detector.onTick({ record, state, geometry, touched });
    if (ticks++ === 0) firstTick = record.tick;
  }
  for (const detector of detectors) detector.finish(state.tick, state);
  return {
    ticks,
    firstTick,
    lastTick: state.tick,
    thresholds: resolved,
    counts: { ...log.counts },
    findings: log.findings,
    truncated: resolved.detectors.filter((d) => log.truncated(d)),
    ...(truth ? { groundTruth: truth.counts } : {}),
  };
}

/** Recomputes visibility from the recorded geometry and lists every missing, extra or late event. */
export function groundTruth(input: TraceInput, options: Omit<DetectOptions, 'detectors'> = {}): GroundTruthReport {
  const report = detect(input, { ...options, detectors: ['ground-truth'] });
  return {
    ticks: report.ticks,
    thresholds: report.thresholds,
    counts: report.groundTruth!,
    findings: report.findings,
    truncated: report.truncated.length > 0,
  };
}
