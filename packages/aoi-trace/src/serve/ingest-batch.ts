import { LineSplitter, LineTooLongError } from '../ndjson/line-splitter.js';
import type { IngestSessions, SessionBinding } from './ingest-sessions.js';
import type { LineRejection } from './line-rejection.js';

/** The answer to one request body or WebSocket message. */
export interface IngestReply {
  readonly ok: boolean;
  /** Lines applied before the first rejection; they stay applied. */
  readonly accepted: number;
  /** The session's last tick after this batch; -1 before any, or when no session took the lines. */
  readonly lastTick: number;
  /** The session the lines went to (name it with `POST /ingest?session=<id>`); absent before any. */
  readonly session?: number;
  readonly line?: number;
  readonly path?: string;
  readonly code?: string;
  readonly reason?: string;
  readonly tick?: number;
  readonly entity?: number;
}

/**
 * The lines of one body or message, fed as bytes arrive. Stops at the first rejected line: the lines before it
 * stay applied, the rejected one and those after it are not.
 */
export class IngestBatch {
  accepted = 0;
  rejection: LineRejection | undefined;
  private readonly splitter: LineSplitter;
  private readonly onLine = (text: string, line: number) => {
    if (this.rejection !== undefined) return;
    this.rejection = this.sessions.ingest(text, line, this.binding);
    if (this.rejection === undefined) this.accepted++;
  };

  constructor(
    private readonly sessions: IngestSessions,
    maxLineBytes: number,
    /** The connection's binding (WebSocket), or a fresh one per body (POST). */
    private readonly binding: SessionBinding,
  ) {
    this.splitter = new LineSplitter(maxLineBytes);
  }

  push(chunk: Buffer): void {
    if (this.rejection !== undefined) return;
    try {
      this.splitter.push(chunk, this.onLine);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      this.rejection = this.sessions.countRejected(error);
    }
  }

  end(): void {
    if (this.rejection === undefined) this.splitter.end(this.onLine);
  }

  /** Refuses the rest of the input (e.g. the body went over its limit). */
  fail(rejection: Omit<LineRejection, 'line'>): void {
    if (this.rejection === undefined) {
      this.rejection = this.sessions.countRejected({ ...rejection, line: this.splitter.lineCount + 1 });
    }
  }

  get status(): number {
    return this.rejection?.status ?? 200;
  }

  reply(): IngestReply {
    // Only the session these lines were for: with several open, another one's tick would mislead.
    const session = this.binding.session;
    const lastTick = session?.state.tick ?? -1;
    const head = { accepted: this.accepted, lastTick, ...(session === undefined ? {} : { session: session.id }) };
    if (this.rejection === undefined) return { ok: true, ...head };
    const { status: _, ...rejection } = this.rejection;
    return { ok: false, ...head, ...rejection };
  }
}
