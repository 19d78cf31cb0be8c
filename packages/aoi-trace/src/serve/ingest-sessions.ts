// The sessions of the ingest server: each distinct header is one producer's trace with its own world and sink.
// Bounded in number and idle time; a session that ends has its sink closed, and its producer is told why at its
// next line (SESSION_CLOSED), instead of its ticks landing in someone else's world.

import { TraceError } from '../errors.js';
import type { TickRecord, TraceHeader } from '../model/types.js';
import type { ValidateOptions } from '../model/validate-tick.js';
import { WorldState } from '../model/world-state.js';
import { parseNdjsonLine } from '../ndjson/parse-ndjson-line.js';
import { type LineRejection, rejectionOf } from './line-rejection.js';
import { type IngestSessionSink, LiveSession, type SessionInfo } from './live-session.js';

/** Where the live trace goes: one sink for one session, or a factory that makes one per session. */
export type IngestSink = IngestSessionSink | ((header: TraceHeader, session: number) => IngestSessionSink);

export interface SessionLimits {
  /** Open sessions at most; a new header beyond it closes the least recently active one. */
  readonly maxSessions: number;
  /** A session without a line for this long is closed; 0 never closes one. */
  readonly idleTimeoutMs: number;
}

/** Something that happened to a session, for the CLI to report (the library prints nothing). */
export type SessionEvent =
  | { readonly type: 'started'; readonly session: SessionInfo }
  | { readonly type: 'closed'; readonly session: SessionInfo; readonly reason: string; readonly lastTick: number }
  | { readonly type: 'recording-stopped'; readonly session: SessionInfo; readonly reason: string };

export type TickListener = (record: TickRecord, state: WorldState, session: SessionInfo) => void;
export type SessionListener = (header: TraceHeader, session: SessionInfo) => void;
export type SessionEventListener = (event: SessionEvent) => void;

/** Which session a WebSocket connection or a request body feeds: bound by its header line or `?session=N`. */
export interface SessionBinding {
  session?: LiveSession;
  readonly requested?: number;
}

/** How many ended sessions /status lists. */
const CLOSED_KEPT = 16;

type Refusal = Omit<LineRejection, 'line'>;

export class IngestSessions {
  accepted = 0;
  rejected = 0;
  started = 0;
  listenerErrors = 0;
  /** Open sessions by header (JSON); a Map keeps them in order of their last activity, oldest first. */
  private readonly open = new Map<string, LiveSession>();
  readonly closed: {
    readonly id: number;
    readonly source: string;
    readonly lastTick: number;
    readonly reason: string;
  }[] = [];
  private latest: LiveSession | undefined;
  private readonly emptyState = new WorldState();
  private readonly tickListeners = new Set<TickListener>();
  private readonly sessionListeners = new Set<SessionListener>();
  private readonly eventListeners = new Set<SessionEventListener>();

  constructor(
    private readonly sinkOption: IngestSink | undefined,
    private readonly options: ValidateOptions,
    readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** What `state` and /status show first: the most recently started session, then the most recently active one. */
  get current(): LiveSession | undefined {
    return this.latest;
  }

  get state(): WorldState {
    return this.latest?.state ?? this.emptyState;
  }

  openSessions(): LiveSession[] {
    return [...this.open.values()];
  }

  onTick(listener: TickListener): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  onSession(listener: SessionListener): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  onEvent(listener: SessionEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Takes one NDJSON line for the binding's session: applies it whole, or changes nothing and says why. */
  ingest(text: string, line: number, binding: SessionBinding): LineRejection | undefined {
    const rejection = this.tryIngest(text, line, binding);
    if (rejection === undefined) this.accepted++;
    else this.rejected++;
    return rejection;
  }

  /** Counts a line refused before it could be parsed (too long, body over the limit). */
  countRejected(error: TraceError | LineRejection): LineRejection {
    this.rejected++;
    return error instanceof TraceError ? rejectionOf(error, error.details.line ?? 0, 413) : error;
  }

  /**
   * Closes the sessions idle for longer than the limit. Not with a caller's single sink: it takes one trace, so its
   * one session could never be started again.
   */
  sweep(): void {
    const { idleTimeoutMs } = this.limits;
    if (idleTimeoutMs <= 0 || (this.sinkOption !== undefined && typeof this.sinkOption !== 'function')) return;
    const now = this.now();
    for (const session of this.openSessions()) {
      const idle = now - session.lastActive;
      if (idle >= idleTimeoutMs) {
        this.close(session, `no line for ${Math.round(idle / 1000)} s (idle timeout ${idleTimeoutMs / 1000} s)`);
      }
    }
  }

  closeAll(reason: string): void {
    for (const session of this.openSessions()) this.close(session, reason);
  }

  private tryIngest(text: string, line: number, binding: SessionBinding): LineRejection | undefined {
    const target = this.resolve(binding);
    if (target instanceof LiveSession) binding.session = target;
    let parsed: ReturnType<typeof parseNdjsonLine>;
    try {
      const eventBase = target instanceof LiveSession ? target.nextEventId : 0;
      parsed = parseNdjsonLine(text, line, { eventBase });
    } catch (error) {
      // A line that is not well-formed aoi-trace NDJSON is a bad request; a well-formed one that cannot follow the
      // trace is unprocessable.
      if (error instanceof TraceError) return rejectionOf(error, line, 400);
      throw error;
    }
    if (parsed.type === 'header') return this.startSession(parsed.header, line, binding);
    if (!(target instanceof LiveSession)) return { ...target, line };
    this.touch(target);
    const rejection = target.ingestTick(parsed.record, line);
    if (rejection !== undefined) {
      target.rejected++;
      if (rejection.code === 'SINK_FAILED') {
        this.emit({ type: 'recording-stopped', session: target, reason: target.recordingStopped ?? rejection.reason });
      }
      return rejection;
    }
    target.accepted++;
    for (const listener of this.tickListeners) this.notify(() => listener(parsed.record, target.state, target));
    return undefined;
  }

  /** The session a tick line goes to, or why there is none. */
  private resolve(binding: SessionBinding): LiveSession | Refusal {
    const bound = binding.session;
    if (bound?.closedBecause !== undefined) return closedRefusal(bound.id, bound.closedBecause);
    if (bound !== undefined) return bound;
    const open = this.openSessions();
    if (binding.requested !== undefined) {
      const named = open.find((session) => session.id === binding.requested);
      if (named !== undefined) return named;
      const ended = this.closed.find((session) => session.id === binding.requested);
      if (ended !== undefined) return closedRefusal(ended.id, ended.reason);
      const long = binding.requested <= this.started ? ' (it ended before the last 16 that /status lists)' : '';
      const reason = `session #${binding.requested} is not open${long}; ${listOpen(open)}.`;
      return { status: 409, path: '$', code: 'UNKNOWN_SESSION', reason };
    }
    const [only, ...others] = open;
    if (only !== undefined && others.length === 0) return only;
    if (open.length === 0) {
      const last = this.closed.at(-1);
      const ended = last === undefined ? '' : ` (session #${last.id} ended: ${last.reason})`;
      return {
        status: 409,
        path: '$',
        code: 'NO_SESSION',
        reason: `no session yet${ended}: send a header line first.`,
      };
    }
    const reason = `${listOpen(open)}: start the body with your header line or name yours with ?session=<id>.`;
    return { status: 409, path: '$', code: 'SESSION_AMBIGUOUS', reason };
  }

  private startSession(header: TraceHeader, line: number, binding: SessionBinding): LineRejection | undefined {
    // A producer that reconnects may send its header again: the same header continues its session.
    const existing = this.open.get(JSON.stringify(header));
    if (existing !== undefined) {
      binding.session = existing;
      this.touch(existing);
      return undefined;
    }
    const factory = typeof this.sinkOption === 'function' ? this.sinkOption : undefined;
    if (this.started > 0 && this.sinkOption !== undefined && factory === undefined) {
      const reason = `the sink takes one trace and session #1 ${this.open.size > 0 ? 'is recording' : 'recorded'} it; restart the server to record another.`;
      return { status: 409, line, path: '$', code: 'SESSION_CONFLICT', reason };
    }
    const id = this.started + 1;
    let sink: IngestSessionSink | undefined;
    try {
      sink = factory === undefined ? (this.sinkOption as IngestSessionSink | undefined) : factory(header, id);
      sink?.begin(header);
    } catch (sinkError) {
      const reason = `the sink refused the session: ${(sinkError as Error).message}`;
      return { status: 500, line, path: '$', code: 'SINK_FAILED', reason };
    }
    const session = new LiveSession(id, header, sink, factory !== undefined, this.options, this.now());
    this.started = id;
    const { maxSessions } = this.limits;
    for (const oldest of this.openSessions().slice(0, Math.max(0, this.open.size - maxSessions + 1))) {
      const limit = `at most ${maxSessions} open session${maxSessions === 1 ? '' : 's'}`;
      this.close(
        oldest,
        `superseded by session #${id} "${header.source}" (${limit}; it was the least recently active)`,
      );
    }
    this.open.set(session.key, session);
    this.latest = session;
    binding.session = session;
    for (const listener of this.sessionListeners) this.notify(() => listener(header, session));
    this.emit({ type: 'started', session });
    return undefined;
  }

  private close(session: LiveSession, why: string): void {
    this.open.delete(session.key);
    session.close(why);
    const reason = session.closedBecause ?? why;
    const ended = { id: session.id, source: session.header.source, lastTick: session.state.tick, reason };
    this.closed.push(ended);
    if (this.closed.length > CLOSED_KEPT) this.closed.shift();
    if (this.latest === session) this.latest = this.openSessions().at(-1);
    this.emit({ type: 'closed', session, reason: ended.reason, lastTick: ended.lastTick });
  }

  /** Marks activity: the Map's order is the eviction order. */
  private touch(session: LiveSession): void {
    session.lastActive = this.now();
    this.open.delete(session.key);
    this.open.set(session.key, session);
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.eventListeners) this.notify(() => listener(event));
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

function closedRefusal(id: number, why: string): Refusal {
  const reason = `session #${id} was closed: ${why}. Send your header line to start a new session.`;
  return { status: 409, path: '$', code: 'SESSION_CLOSED', reason };
}

function listOpen(open: readonly LiveSession[]): string {
  const names = [...open].sort((a, b) => a.id - b.id).map((session) => `#${session.id} "${session.header.source}"`);
  return open.length === 0 ? 'no session is open' : `open sessions: ${names.join(', ')}`;
}
