import { TraceError, TraceErrorCode } from '../errors.js';
import { openTraceReader, type TraceReader } from '../format/trace-reader.js';
import { TableWorldState } from '../model/table-world-state.js';
import type { TickRange, TickRecord, TraceHeader, TraceInput, TraceSink } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import { resolveRange } from '../query/arguments.js';
import { openReplay } from '../query/replay.js';
import { HeightColumns, recordHasHeight, stateHasHeight } from './cylinder.js';
import { DivergenceDetector } from './divergence.js';
import { type GroundTruthCounts, GroundTruthDetector } from './ground-truth.js';
import { KineticPairs } from './kinetic-pairs.js';
import { type DetectOptions, type ResolvedDetectOptions, resolveDetectOptions } from './options.js';
import { OscillationDetector } from './oscillation.js';
import { emptyChanges, type PairChanges } from './pair-changes.js';
import { PairSet } from './pair-map.js';
import type { PairSchedule } from './pair-schedule.js';
import { TickGeometry } from './tick-geometry.js';
import { TornViewDetector } from './torn-view.js';
import { type Detector, type DetectorName, type Finding, FindingLog, sortFindings } from './types.js';
import { WorkerSchedule } from './worker-schedule.js';

export interface DetectionReport {
  /** Ticks read. */
  ticks: number;
  firstTick: number;
  lastTick: number;
  /** The options used, defaults filled in (the thresholds). */
  thresholds: ResolvedDetectOptions;
  /** Exact number of findings per detector (0 for those not run). */
  counts: Record<DetectorName, number>;
  /**
   * Findings of each detector up to `maxFindingsPerDetector` (the first found). From {@link detect}: sorted by
   * {@link sortFindings} (tick, detector, entities, message), the same order in both detection modes. From a
   * {@link DetectionStream}: in the order found, so a consumer polling report() can take the new ones off the end.
   */
  findings: Finding[];
  /** Detectors whose findings were cut at the cap. */
  truncated: DetectorName[];
  /** Present when the ground-truth detector ran. */
  groundTruth?: GroundTruthCounts;
  /**
   * Present when ticks were lost (a damaged or cut input): each gap the detectors could not look into. They
   * restarted after it, so nothing is found, or cleared, for the ticks `lostFrom..lostTo`.
   */
  unread?: DetectionGap[];
}

/** Ticks lost before `resumeTick` (`lostFrom` null: from before the first tick read). */
export interface DetectionGap {
  lostFrom: number | null;
  lostTo: number;
  resumeTick: number;
  reason: string;
}

/** 'incremental': the pairs that may have changed each tick; 'full': every pair, every tick (the reference). */
export type DetectionMode = 'incremental' | 'full';

export interface GroundTruthReport {
  ticks: number;
  thresholds: ResolvedDetectOptions;
  counts: GroundTruthCounts;
  /** Every missing, extra and late event, up to `maxFindingsPerDetector`. */
  findings: Finding[];
  truncated: boolean;
}

/**
 * The detectors as a {@link TraceSink}: feed it ticks as they happen (a live server, the recorder's sink chain) and
 * read {@link report} at any time; {@link finish} closes what is still open at the end of the trace. It keeps only
 * the replayed world, the open anomalies and bounded windows.
 */
export class DetectionStream implements TraceSink {
  private readonly options: DetectOptions;
  private resolved: ResolvedDetectOptions | undefined;
  private log: FindingLog | undefined;
  private detectors: Detector[] = [];
  private truth: GroundTruthDetector | undefined;
  /**
   * The world replayed once: entities, and the recorded views as sorted lists in one table (DetectorTick.seen is
   * `state.table`), the same rules as world-rules.ts.
   */
  private state = new TableWorldState();
  private geometry: TickGeometry | undefined;
  private regionSize = 0;
  private readonly unread: DetectionGap[] = [];
  private ticks = 0;
  private firstTick = -1;
  private finished = false;
  private kinetic: PairSchedule | undefined;
  /** The trace has shown height (a z or half-height): from then on views are cylinders (cylinder.ts). */
  private height = false;
  private static readonly EVERY_PAIR: PairChanges = emptyChanges(0);

  /**
   * `mode`: 'incremental' (the default) looks at the pairs whose decisions may have changed (a kinetic schedule,
   * see {@link KineticPairs}); 'full' looks at every pair within the leave radius on every tick: the reference the
   * incremental mode is tested against, same findings. `schedule`: where the incremental mode takes each tick's
   * pairs from instead of a KineticPairs of its own (a WorkerSchedule, see {@link detectTraceFile}).
   */
  constructor(
    options: DetectOptions = {},
    private readonly mode: DetectionMode = 'incremental',
    private readonly schedule?: PairSchedule,
  ) {
    this.options = options;
  }

  /**
   * `start`: the world before the first tick fed (a detection over a tick range starts from a seek, not from tick
   * 0). Its view sets are taken as right: ground truth starts from them. Not kept: the stream works on a copy.
   */
  begin(header: TraceHeader, start?: WorldState): void {
    if (start !== undefined) this.state = TableWorldState.of(start);
    const resolved = resolveDetectOptions(this.options, header);
    this.resolved = resolved;
    this.log = new FindingLog(resolved.maxFindingsPerDetector);
    this.regionSize = header.regionSize;
    this.createDetectors(this.state);
    this.geometry = new TickGeometry(resolved.tolerance);
    // Only ground truth and divergence look at pairs.
    const pairs = resolved.detectors.some(
      (d) => d === 'ground-truth' || d === 'delayed-broadcast' || d === 'adjacency',
    );
    if (this.mode === 'incremental' && pairs) this.kinetic = this.schedule ?? new KineticPairs(resolved.tolerance);
    this.height = false;
    if (stateHasHeight(this.state)) this.enableHeight();
  }

  /** Switches the detectors to cylinders for the rest of the trace; a 2D trace never calls it. */
  private enableHeight(): void {
    this.height = true;
    this.geometry!.height = new HeightColumns();
    this.kinetic?.enableHeight();
  }

  /**
   * Fresh detectors on the same finding log: at the start, and after lost ticks (their open anomalies are void).
   * Ground truth takes the views of `start` (the world they begin from) as right.
   */
  private createDetectors(start: WorldState): void {
    const resolved = this.resolved!;
    const log = this.log!;
    const selected = new Set(resolved.detectors);
    const detectors: Detector[] = [];
    if (selected.has('torn-view')) detectors.push(new TornViewDetector(resolved, log));
    if (selected.has('delayed-broadcast') || selected.has('adjacency')) {
      detectors.push(
        new DivergenceDetector(resolved, log, selected.has('delayed-broadcast'), selected.has('adjacency')),
      );
    }
    if (selected.has('oscillation'))
      detectors.push(new OscillationDetector(resolved, log, this.regionSize, this.mode === 'incremental'));
    const counts = this.truth?.counts;
    this.truth = selected.has('ground-truth') ? new GroundTruthDetector(resolved, log, start) : undefined;
    if (this.truth && counts) Object.assign(this.truth.counts, counts);
    if (this.truth) detectors.push(this.truth);
    this.detectors = detectors;
    this.kinetic?.invalidate();
  }

  /** Detectors read the record during this call only, so a producer may reuse its columns afterwards. */
  writeTick(record: TickRecord): void {
    const geometry = this.geometry;
    if (geometry === undefined || this.finished) {
      throw new TraceError(TraceErrorCode.InvalidArgument, 'DetectionStream: writeTick before begin or after finish.');
    }
    const state = this.state;
    if (!this.height && recordHasHeight(record)) this.enableHeight();
    // After lost ticks the world restarts from a keyframe: anomalies open across the gap can no longer be judged.
    if (record.resync !== undefined) {
      const { lostFrom, state: resumed, reason } = record.resync;
      this.unread.push({ lostFrom, lostTo: resumed.tick, resumeTick: record.tick, reason });
      this.createDetectors(record.resync.state);
    }
    state.apply(record);
    const seen = state.table;
    const changes = this.kinetic?.update(state, record) ?? DetectionStream.EVERY_PAIR;
    if (changes.full) geometry.load(state);
    let pairs: PairSet | undefined;
    const touched = (watcher: number, target: number) => {
      if (pairs === undefined) {
        pairs = new PairSet();
        const { events } = record;
        for (let i = 0; i < events.count; i++) pairs.add(events.watchers[i]!, events.targets[i]!);
      }
      return pairs.has(watcher, target);
    };
    for (const detector of this.detectors)
      detector.onTick({ record, state, geometry, changes, touched, seen, height: this.height });
    if (this.ticks++ === 0) this.firstTick = record.tick;
  }

  /** The findings so far (anomalies still open, such as an event not yet late enough, are not in it). */
  report(): DetectionReport {
    const resolved = this.resolved;
    const log = this.log;
    if (resolved === undefined || log === undefined) {
      throw new TraceError(TraceErrorCode.InvalidArgument, 'DetectionStream: report before begin.');
    }
    return {
      ticks: this.ticks,
      firstTick: this.firstTick,
      lastTick: this.state.tick,
      thresholds: resolved,
      counts: { ...log.counts },
      findings: [...log.findings],
      truncated: resolved.detectors.filter((d) => log.truncated(d)),
      ...(this.truth ? { groundTruth: { ...this.truth.counts } } : {}),
      ...(this.unread.length > 0 ? { unread: [...this.unread] } : {}),
    };
  }

  /** Ends the trace: open anomalies are closed (an event that never came is missing), then the final report. */
  finish(): DetectionReport {
    if (!this.finished) {
      this.finished = true;
      for (const detector of this.detectors) detector.finish(this.state.tick, this.state);
    }
    return this.report();
  }
}

/**
 * Runs the selected detectors in one pass over `input.ticks()` (see {@link DetectionStream}). With a `range`, only
 * over those ticks: a seekable input (the .aoitrace reader) seeks to the keyframe before `from` through its index
 * and never reads the chunks before it; findings then start from the world at `from - 1` as recorded.
 */
export function detect(
  input: TraceInput,
  options: DetectOptions = {},
  range?: TickRange,
  mode: DetectionMode = 'incremental',
): DetectionReport {
  return run(input, new DetectionStream(options, mode), range);
}

/** Feeds `input` (or its `range`) to `stream`; the report with its findings sorted. */
function run(input: TraceInput, stream: DetectionStream, range: TickRange | undefined): DetectionReport {
  if (range === undefined || (range.from === undefined && range.to === undefined)) {
    stream.begin(input.header);
    for (const record of input.ticks()) stream.writeTick(record);
  } else {
    const { from, to } = resolveRange(input, range, 'range');
    const replay = openReplay(input, from, to);
    stream.begin(input.header, replay.state);
    for (const record of replay.records) stream.writeTick(record);
  }
  const report = stream.finish();
  return { ...report, findings: sortFindings(report.findings) };
}

/**
 * {@link detect} over an .aoitrace file on two threads: in the incremental mode with ground truth, delayed-broadcast
 * or adjacency selected, a worker reads the file too and runs the kinetic schedule (~45% of a dense tick) a few ticks
 * ahead of the detectors (schedule-worker.ts); otherwise the same as `detect(openTraceReader(path), ...)`. The same
 * report, findings and all: the worker hands over the same pairs the schedule would. `reader`: an open reader of
 * `path` to read the detectors' ticks through (left open, so its damage report can be read after the pass).
 */
export function detectTraceFile(
  path: string,
  options: DetectOptions = {},
  range?: TickRange,
  mode: DetectionMode = 'incremental',
  reader?: TraceReader,
): DetectionReport {
  const input = reader ?? openTraceReader(path);
  let schedule: WorkerSchedule | undefined;
  try {
    const { detectors, tolerance } = resolveDetectOptions(options, input.header);
    const pairs = detectors.some((d) => d === 'ground-truth' || d === 'delayed-broadcast' || d === 'adjacency');
    if (mode !== 'incremental' || !pairs) return detect(input, options, range, mode);
    // Checked before the worker starts, so a bad range is the same error as detect()'s.
    if (range !== undefined) resolveRange(input, range, 'range');
    schedule = new WorkerSchedule(path, range, tolerance);
    return run(input, new DetectionStream(options, mode, schedule), range);
  } finally {
    schedule?.close();
    if (reader === undefined) input.close();
  }
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
