import type { SeekableTraceInput, TickRecord, TraceHeader, TraceInput, WorldState } from '@lanes/aoi-trace';
import type { AnomalyFinding, DetectionStatus } from '../protocol/api-types.js';
import type { TickBounds, ViewerDataSource } from './data-source.js';
import { DetectionTally } from './detection-tally.js';
import { ReplaySeekableTrace } from './replay-seekable.js';

export interface FileDataSourceOptions {
  /** @default 'trace' */
  name?: string;
  /** Detector findings to mark on the timeline. @default [] */
  anomalies?: readonly AnomalyFinding[];
  /**
   * First and last tick, when the input knows them cheaply (a file index). Otherwise they are taken from
   * `firstTick` / `lastTick` properties of the input if it has them, or found by one streaming pass.
   */
  bounds?: TickBounds;
}

/** An input that knows its tick range, like the .aoitrace reader with its index. */
interface BoundedInput {
  readonly firstTick?: number;
  readonly lastTick?: number;
}

/** A recorded trace: any {@link TraceInput}; one that is not seekable is replayed with keyframes. */
export class FileDataSource implements ViewerDataSource {
  readonly kind = 'file';
  readonly name: string;
  private readonly input: SeekableTraceInput;
  private findings: readonly AnomalyFinding[];
  private readonly tally: DetectionTally;
  private knownBounds: TickBounds | undefined;
  private scanned = false;

  constructor(input: TraceInput | SeekableTraceInput, options: FileDataSourceOptions = {}) {
    this.input = 'stateAt' in input ? input : new ReplaySeekableTrace(input);
    this.name = options.name ?? 'trace';
    this.findings = [...(options.anomalies ?? [])].sort((a, b) => a.tick - b.tick);
    this.tally = new DetectionTally(this.findings.length > 0 ? 'done' : 'off');
    this.tally.countFindings(this.findings);
    const bounded = input as BoundedInput;
    this.knownBounds =
      options.bounds ??
      (typeof bounded.firstTick === 'number' && typeof bounded.lastTick === 'number'
        ? { first: bounded.firstTick, last: bounded.lastTick }
        : undefined);
  }

  header(): TraceHeader {
    return this.input.header;
  }

  bounds(): TickBounds | undefined {
    if (this.knownBounds === undefined && !this.scanned) {
      // One streaming pass; nothing is kept but the two numbers.
      this.scanned = true;
      let first: number | undefined;
      let last = 0;
      for (const record of this.input.ticks()) {
        first ??= record.tick;
        last = record.tick;
      }
      if (first !== undefined) this.knownBounds = { first, last };
    }
    return this.knownBounds;
  }

  anomalies(): readonly AnomalyFinding[] {
    return this.findings;
  }

  detection(): DetectionStatus {
    return this.tally.status();
  }

  /** Detectors started behind the viewer: until {@link addAnomalies} the page says so instead of "0 anomalies". */
  detectionStarted(): void {
    this.tally.state = 'running';
  }

  detectionFailed(message: string): void {
    this.tally.fail(message);
  }

  /**
   * Findings that arrive after the viewer started (detectors running in the background); pages poll for them.
   * `counts` are the detectors' exact totals (they keep only so many findings each); given, detection is done.
   */
  addAnomalies(findings: readonly AnomalyFinding[], counts?: Readonly<Record<string, number>>): void {
    this.findings = [...this.findings, ...findings].sort((a, b) => a.tick - b.tick);
    if (counts === undefined) this.tally.countFindings(findings);
    else {
      this.tally.setCounts(counts);
      this.tally.state = 'done';
    }
  }

  stateAt(tick: number): WorldState {
    return this.input.stateAt(tick);
  }

  ticks(from: number, to: number): Iterable<TickRecord> {
    return this.input.ticks({ from, to });
  }
}
