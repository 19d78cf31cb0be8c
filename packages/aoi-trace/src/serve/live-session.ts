// One producer's trace on the ingest server: its header, the world so far, and where its ticks are recorded.

import type { TickRecord, TraceHeader, TraceSink } from '../model/types.js';
import type { ValidateOptions } from '../model/validate-tick.js';
import type { WorldState } from '../model/world-state.js';
import { TickValidator } from '../ndjson/tick-validator.js';
import { type LineRejection, rejectionOf } from './line-rejection.js';

/** A sink the server closes when its session ends (a TraceWriter: its file gets its index and is closed). */
export interface IngestSessionSink extends TraceSink {
  close?(): void;
}

/** Which session: its number on this server (1, 2, ...) and its header. */
export interface SessionInfo {
  readonly id: number;
  readonly header: TraceHeader;
}

export class LiveSession implements SessionInfo {
  accepted = 0;
  rejected = 0;
  /** Why the session ended; undefined while it is open. */
  closedBecause: string | undefined;
  /** Why its recording stopped (the sink failed); undefined while recording or without a sink. */
  recordingStopped: string | undefined;
  /** The header as JSON: a header line equal to it continues this session. */
  readonly key: string;
  private readonly validator: TickValidator;

  constructor(
    readonly id: number,
    readonly header: TraceHeader,
    private sink: IngestSessionSink | undefined,
    /** Made for this session by the sink factory, so closed with it; a caller's own sink is left to the caller. */
    private readonly ownsSink: boolean,
    options: ValidateOptions,
    /** ms timestamp of the last line received for it. */
    public lastActive: number,
  ) {
    this.validator = new TickValidator(header, options);
    this.key = JSON.stringify(header);
  }

  get state(): WorldState {
    return this.validator.state;
  }

  /** The eventBase a tick line without one gets. */
  get nextEventId(): number {
    return this.validator.nextEventId;
  }

  get recording(): boolean {
    return this.sink !== undefined;
  }

  /**
   * Checks, records and applies one tick, or changes nothing and says why. A sink that throws (disk full, closed
   * file) refuses that tick; the sink is then released and the session goes on without recording, rather than
   * refusing every later tick.
   */
  ingestTick(record: TickRecord, line: number): LineRejection | undefined {
    const error = this.validator.check(record, line);
    if (error !== undefined) return rejectionOf(error, line, 422);
    if (this.sink !== undefined) {
      try {
        this.sink.writeTick(record);
      } catch (sinkError) {
        // What the sink kept is its business (a TraceWriter keeps every chunk before the failure, readable).
        this.recordingStopped = `the sink failed at tick ${record.tick} (${(sinkError as Error).message})`;
        this.releaseSink();
        const reason = `tick ${record.tick} was not applied: ${this.recordingStopped}. Session #${this.id} goes on without recording.`;
        return { status: 500, line, path: '$', code: 'SINK_FAILED', reason, tick: record.tick };
      }
    }
    this.validator.apply(record);
    return undefined;
  }

  close(reason: string): void {
    if (this.closedBecause !== undefined) return;
    const failure = this.releaseSink();
    this.closedBecause = failure === undefined ? reason : `${reason} (closing its sink failed: ${failure})`;
  }

  /** Closes the sink if this session made it; returns why that failed, if it did. */
  private releaseSink(): string | undefined {
    const sink = this.sink;
    this.sink = undefined;
    if (!this.ownsSink) return undefined;
    try {
      sink?.close?.();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
