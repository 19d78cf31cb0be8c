// What the ingest endpoints share, whatever the transport: the live trace, one line at a time, each line
// checked completely before anything (state, sink, viewers) sees it.

import { TraceError } from '../errors.js';
import type { TickRecord, TraceHeader, TraceSink } from '../model/types.js';
import type { TickErrorDetails, ValidateOptions } from '../model/validate-tick.js';
import { WorldState } from '../model/world-state.js';
import { parseNdjsonLine } from '../ndjson/parse-ndjson-line.js';
import { TickValidator } from '../ndjson/tick-validator.js';

/** Why a line was refused, as the endpoints report it. `status` is the HTTP status that fits. */
export interface LineRejection {
  readonly status: 400 | 409 | 413 | 422 | 500;
  /** Line number within the request body or WebSocket message (1-based). */
  readonly line: number;
  /** JSON path of the bad field; `$` for the whole line. */
  readonly path: string;
  /** A TraceErrorCode, or `NO_SESSION` / `SESSION_CONFLICT` / `SINK_FAILED`. */
  readonly code: string;
  readonly reason: string;
  readonly tick?: number;
  readonly entity?: number;
}

/** Where the live trace goes: one sink for one session, or a factory that makes one per session. */
export type IngestSink = TraceSink | ((header: TraceHeader) => TraceSink);

export type TickListener = (record: TickRecord, state: WorldState) => void;
export type SessionListener = (header: TraceHeader) => void;

export class IngestSession {
  header: TraceHeader | undefined;
  accepted = 0;
  rejected = 0;
  sessions = 0;
  listenerErrors = 0;
  private validator: TickValidator | undefined;
  private sink: TraceSink | undefined;
  private readonly emptyState = new WorldState();
  private readonly tickListeners = new Set<TickListener>();
  private readonly sessionListeners = new Set<SessionListener>();

  constructor(
    private readonly sinkOption: IngestSink | undefined,
    private readonly options: ValidateOptions,
  ) {}

  get state(): WorldState {
    return this.validator?.state ?? this.emptyState;
  }

  onTick(listener: TickListener): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  onSession(listener: SessionListener): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Takes one NDJSON line: applies it whole, or changes nothing and says why. */
  ingest(text: string, line: number): LineRejection | undefined {
    const rejection = this.tryIngest(text, line);
    if (rejection === undefined) this.accepted++;
    else this.rejected++;
    return rejection;
  }

  /** Counts a line refused before it could be parsed (too long, body over the limit). */
  countRejected(error: TraceError | LineRejection): LineRejection {
    this.rejected++;
    return error instanceof TraceError ? rejectionOf(error, error.details.line ?? 0, 413) : error;
  }

  private tryIngest(text: string, line: number): LineRejection | undefined {
    let parsed: ReturnType<typeof parseNdjsonLine>;
    try {
      parsed = parseNdjsonLine(text, line, { eventBase: this.validator?.nextEventId ?? 0 });
    } catch (error) {
      // A line that is not well-formed aoi-trace NDJSON is a bad request; a well-formed one that cannot follow the
      // trace is unprocessable.
      if (error instanceof TraceError) return rejectionOf(error, line, 400);
      throw error;
    }
    if (parsed.type === 'header') return this.startSession(parsed.header, line);
    const validator = this.validator;
    if (validator === undefined) {
      return { status: 409, line, path: '$', code: 'NO_SESSION', reason: 'no session yet: send a header line first.' };
    }
    const error = validator.check(parsed.record, line);
    if (error !== undefined) return rejectionOf(error, line, 422);
    try {
      this.sink?.writeTick(parsed.record);
    } catch (sinkError) {
      const reason = `the sink failed; the tick was not applied: ${(sinkError as Error).message}`;
      return { status: 500, line, path: '$', code: 'SINK_FAILED', reason, tick: parsed.record.tick };
    }
    validator.apply(parsed.record);
    for (const listener of this.tickListeners) this.notify(() => listener(parsed.record, validator.state));
    return undefined;
  }

  private startSession(header: TraceHeader, line: number): LineRejection | undefined {
    // A producer that reconnects may send its header again: the same header continues the session.
    if (this.header !== undefined && JSON.stringify(header) === JSON.stringify(this.header)) return undefined;
    const factory = typeof this.sinkOption === 'function' ? this.sinkOption : undefined;
    if (this.header !== undefined && this.sinkOption !== undefined && factory === undefined) {
      const reason = 'a session with another header is running and its sink takes one trace; restart the server.';
      return { status: 409, line, path: '$', code: 'SESSION_CONFLICT', reason };
    }
    let sink: TraceSink | undefined;
    try {
      sink = factory === undefined ? (this.sinkOption as TraceSink | undefined) : factory(header);
      sink?.begin(header);
    } catch (sinkError) {
      const reason = `the sink refused the session: ${(sinkError as Error).message}`;
      return { status: 500, line, path: '$', code: 'SINK_FAILED', reason };
    }
    this.header = header;
    this.sink = sink;
    this.validator = new TickValidator(header, this.options);
    this.sessions++;
    for (const listener of this.sessionListeners) this.notify(() => listener(header));
    return undefined;
  }

  /** A viewer's bug must not refuse a producer's good line: listener errors are counted, not thrown. */
  private notify(call: () => void): void {
    try {
      call();
    } catch {
      this.listenerErrors++;
    }
  }
}

function rejectionOf(error: TraceError, line: number, status: LineRejection['status']): LineRejection {
  const details = error.details as TickErrorDetails;
  return {
    status,
    line,
    path: details.path ?? '$',
    code: error.code,
    reason: error.message,
    ...(details.tick === undefined ? {} : { tick: details.tick }),
    ...(details.entity === undefined ? {} : { entity: details.entity }),
  };
}
