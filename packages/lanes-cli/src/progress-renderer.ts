import type { Writable } from 'node:stream';
import type { LanesEvent } from '@lanes/core';
import { renderLanesEvent } from './render-lanes-event.js';

/** A replica waiting for its first passing health check, as its last `REPLICA_WAITING` event told. */
interface Waiting {
  replica: number;
  lane: string;
  afterMs: number;
  timeoutMs: number;
  attempt: number;
  reason: string;
  /** Non-TTY: when (its `afterMs`) and why the last plain line about it was printed. */
  printedAfterMs?: number;
  printedReason?: string;
}

export interface ProgressOptions {
  /** A terminal: one live line, rewritten in place; else plain lines. */
  tty: boolean;
  /** Not a terminal: a plain line per replica at most this often, and whenever the reason changes. @default 5000 */
  plainEveryMs?: number;
}

/** Erases the current terminal line and returns to its start (ECMA-48 EL: CSI 2 K). */
const ERASE_LINE = '\r\x1b[2K';

/**
 * Renders replicas that are not healthy yet while a command waits for them: on a terminal a live line with each
 * replica's elapsed time and last failed check, rewritten in place, with the other event lines printed above it;
 * elsewhere (a CI log, a pipe) plain lines when a replica starts waiting, when the reason changes and every few
 * seconds. Times come from the events, so the same events always render the same text.
 */
export class ProgressRenderer {
  private readonly waiting = new Map<number, Waiting>();
  private liveShown = false;

  constructor(
    private readonly out: Writable,
    private readonly options: ProgressOptions,
  ) {}

  /** Takes a progress event (true) or lets the caller print it as a line (false), after updating what waits. */
  event(event: LanesEvent): boolean {
    const data = event.data ?? {};
    const replica = typeof data.replica === 'number' ? data.replica : undefined;
    if (replica === undefined) return false;
    if (event.code !== 'REPLICA_WAITING') {
      if (['REPLICA_HEALTHY', 'REPLICA_FAILED', 'REPLICA_STOPPED'].includes(event.code)) this.waiting.delete(replica);
      return false;
    }
    const previous = this.waiting.get(replica);
    const waiting: Waiting = {
      ...previous,
      replica,
      lane: event.lane ?? '',
      afterMs: Number(data.afterMs),
      timeoutMs: Number(data.timeoutMs),
      attempt: Number(data.attempt),
      reason: String(data.reason),
    };
    this.waiting.set(replica, waiting);
    if (this.options.tty) this.drawLive();
    else this.plainLine(waiting, event);
    return true;
  }

  /** Prints one line of output; on a terminal above the live line, which is drawn again under it. */
  line(text: string): void {
    this.clearLive();
    this.out.write(`${text}\n`);
    this.drawLive();
  }

  private plainLine(waiting: Waiting, event: LanesEvent): void {
    const every = this.options.plainEveryMs ?? 5000;
    const due =
      waiting.printedAfterMs === undefined ||
      waiting.reason !== waiting.printedReason ||
      waiting.afterMs - waiting.printedAfterMs >= every;
    if (!due) return;
    waiting.printedAfterMs = waiting.afterMs;
    waiting.printedReason = waiting.reason;
    this.out.write(`${renderLanesEvent({ ...event, level: 'info' })}\n`);
  }

  private drawLive(): void {
    if (!this.options.tty) return;
    if (this.waiting.size === 0) {
      this.clearLive();
      return;
    }
    const parts = [...this.waiting.values()].map(
      (w) =>
        `replica ${w.replica} of ${w.lane} ${seconds(w.afterMs)}/${seconds(w.timeoutMs)} (${w.attempt} checks: ${w.reason})`,
    );
    const text = `waiting for ${parts.join('; ')}`;
    // A wrapped line cannot be erased in place: keep it within the terminal's width.
    const columns = (this.out as { columns?: number }).columns ?? 120;
    this.out.write(`${ERASE_LINE}${text.length >= columns ? `${text.slice(0, columns - 2)}…` : text}`);
    this.liveShown = true;
  }

  private clearLive(): void {
    if (!this.liveShown) return;
    this.out.write(ERASE_LINE);
    this.liveShown = false;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
