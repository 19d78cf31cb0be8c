import {
  copyEvents,
  copyMoves,
  DetectionStream,
  type DetectOptions,
  type TickRecord,
  TraceError,
  TraceErrorCode,
  type TraceHeader,
  type TraceSink,
  WorldState,
} from '@lanes/aoi-trace';
import type { AnomalyFinding, DetectionStatus } from '../protocol/api-types.js';
import type { TickBounds, ViewerDataSource } from './data-source.js';
import { DetectionTally } from './detection-tally.js';

export interface LiveDataSourceOptions {
  /** @default 'live' */
  name?: string;
  /** How many recent ticks stay available for scrubbing back; older ones are folded into the base state. @default 3000 */
  retainTicks?: number;
  /** A copy of the world every this many ticks, so a seek replays at most this many. @default 256 */
  keyframeEvery?: number;
  /**
   * Runs the anomaly detectors on the stream as it arrives (a {@link DetectionStream}); their findings appear in
   * {@link anomalies} as they are found. `false` runs none. @default { maxFindingsPerDetector: 500 }
   */
  detect?: DetectOptions | false;
  /**
   * The world's extent [minX, minY, maxX, maxY] when the producer does not record one (`aoi-trace serve --bounds`):
   * given to the page as the header's `world.bounds` attribute, so the map fits the world, not the first entities.
   */
  worldBounds?: readonly [number, number, number, number];
}

/** Findings kept per detector when live detection is on and the caller did not say. */
const LIVE_FINDINGS_PER_DETECTOR = 500;

/**
 * A trace fed tick by tick while the viewer is open (the live ingest server calls {@link push} or uses it as a
 * {@link TraceSink}). Memory is bounded: the last `retainTicks` ticks plus keyframes among them.
 */
export class LiveDataSource implements ViewerDataSource, TraceSink {
  readonly kind = 'live';
  readonly name: string;
  private headerValue: TraceHeader | undefined;
  private readonly retain: number;
  private readonly every: number;
  private readonly records: TickRecord[] = [];
  /** The world before the oldest retained record. */
  private base = new WorldState();
  /** The world after the newest record. */
  private current = new WorldState();
  /** States after retained ticks, ascending. */
  private keyframes: WorldState[] = [];
  private readonly findings: AnomalyFinding[] = [];
  private readonly detector: DetectionStream | undefined;
  /** Findings of the detector already copied into `findings`. */
  private detected = 0;
  private readonly tally: DetectionTally;
  private readonly worldBounds: string | undefined;

  constructor(options: LiveDataSourceOptions = {}) {
    this.name = options.name ?? 'live';
    this.retain = Math.max(1, options.retainTicks ?? 3000);
    this.every = Math.max(1, options.keyframeEvery ?? 256);
    const detect = options.detect ?? {};
    if (detect !== false) {
      this.detector = new DetectionStream({ maxFindingsPerDetector: LIVE_FINDINGS_PER_DETECTOR, ...detect });
    }
    this.worldBounds = options.worldBounds?.join(',');
    // A live stream is never finished: its detectors run for as long as ticks may come.
    this.tally = new DetectionTally(this.detector ? 'running' : 'off');
  }

  begin(header: TraceHeader): void {
    if (this.headerValue !== undefined) {
      throw new TraceError(TraceErrorCode.InvalidArgument, 'LiveDataSource.begin: the stream has already begun.');
    }
    this.headerValue =
      this.worldBounds === undefined || header.attributes['world.bounds'] !== undefined
        ? header
        : { ...header, attributes: { ...header.attributes, 'world.bounds': this.worldBounds } };
    this.guardDetector(() => this.detector?.begin(header));
  }

  writeTick(record: TickRecord): void {
    this.push(record);
  }

  /**
   * Adds the next tick. A record that cannot follow the stream (unknown entity, tick going backwards) is rejected
   * with the TraceError of {@link WorldState.apply}, and the stream stays as it was.
   */
  push(record: TickRecord): void {
    if (this.headerValue === undefined) {
      throw new TraceError(TraceErrorCode.InvalidArgument, `LiveDataSource.push: tick ${record.tick} before begin().`, {
        tick: record.tick,
      });
    }
    try {
      this.current.apply(record);
    } catch (error) {
      this.current = this.rebuild(Number.POSITIVE_INFINITY);
      throw error;
    }
    const copy = { ...record, moves: copyMoves(record.moves), events: copyEvents(record.events) };
    this.records.push(copy);
    const lastKeyframe = this.keyframes[this.keyframes.length - 1];
    if (record.tick - (lastKeyframe?.tick ?? this.base.tick) >= this.every) this.keyframes.push(this.current.clone());
    while (this.records.length > this.retain) this.base.apply(this.records.shift()!);
    while ((this.keyframes[0]?.tick ?? Number.POSITIVE_INFINITY) <= this.base.tick) this.keyframes.shift();
    this.detect(record);
  }

  /** Adds detector findings (they appear on the timeline at the next poll). */
  addAnomalies(findings: readonly AnomalyFinding[]): void {
    this.findings.push(...findings);
    this.findings.sort((a, b) => a.tick - b.tick);
    if (this.detector === undefined) this.tally.countFindings(findings);
  }

  detection(): DetectionStatus {
    return this.tally.status();
  }

  /** Feeds the live detectors and takes over what they found in this tick. */
  private detect(record: TickRecord): void {
    const detector = this.detector;
    if (detector === undefined) return;
    this.guardDetector(() => {
      detector.writeTick(record);
      const report = detector.report();
      this.tally.setCounts(report.counts);
      if (report.findings.length === this.detected) return;
      const fresh = report.findings.slice(this.detected);
      this.detected = report.findings.length;
      this.addAnomalies(fresh.map(({ detector, tick, entities, message }) => ({ detector, tick, entities, message })));
    });
  }

  /** A detector that throws stops detecting (the page says why); the stream itself goes on. */
  private guardDetector(run: () => void): void {
    if (this.detector === undefined || this.tally.state !== 'running') return;
    try {
      run();
    } catch (error) {
      this.tally.fail(error instanceof Error ? error.message : String(error));
    }
  }

  header(): TraceHeader | undefined {
    return this.headerValue;
  }

  bounds(): TickBounds | undefined {
    const first = this.records[0];
    const last = this.records.at(-1);
    return first === undefined || last === undefined ? undefined : { first: first.tick, last: last.tick };
  }

  anomalies(): readonly AnomalyFinding[] {
    return this.findings;
  }

  stateAt(tick: number): WorldState {
    if (tick >= this.current.tick) return this.current.clone();
    return this.rebuild(tick);
  }

  *ticks(from: number, to: number): Iterable<TickRecord> {
    // A snapshot of the array: pushes during a slow response must not shift what is being iterated.
    for (const record of this.records.slice()) {
      if (record.tick > to) return;
      if (record.tick >= from) yield record;
    }
  }

  private rebuild(tick: number): WorldState {
    let start = this.base;
    for (const keyframe of this.keyframes) if (keyframe.tick <= tick) start = keyframe;
    const state = start.clone();
    for (const record of this.records) {
      if (record.tick > tick) break;
      if (record.tick > state.tick) state.apply(record);
    }
    return state;
  }
}
