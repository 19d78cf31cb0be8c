import { open } from 'node:fs/promises';
import { MetricsRegistry } from '../metrics.js';

/** Most bytes one scrape reads; the rest waits for the next scrape, so a huge backlog never blocks the process. */
const MAX_READ_BYTES = 16 * 1024 * 1024;
/** A line of NGINX_METRICS_LOG_FORMAT is well under this; a longer one is not ours and is skipped. */
const MAX_LINE = 1024;

/**
 * Per-lane metrics of the nginx engine from its access log (NGINX_METRICS_LOG_FORMAT: `$msec $lanes_service
 * $lanes_lane $status $request_time`), in the Node engine's LaneStats, so /metrics has the same names. The log is
 * read from where the previous scrape stopped: nothing runs between scrapes.
 */
export class NginxMetricsLog {
  readonly registry = new MetricsRegistry();
  private offset = 0;
  private partial = '';
  /** Lines that did not parse (not ours, or cut): counted, never thrown. */
  skipped = 0;

  constructor(private readonly file: string) {}

  /** Reads what nginx appended since the last call and adds it up. */
  async catchUp(): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return; // No request logged yet.
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset) this.offset = 0;
      const length = Math.min(size - this.offset, MAX_READ_BYTES);
      if (length <= 0) return;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
      this.offset += bytesRead;
      const text = this.partial + buffer.toString('latin1', 0, bytesRead);
      const end = text.lastIndexOf('\n');
      this.partial = text.slice(end + 1);
      if (this.partial.length > MAX_LINE) {
        this.partial = '';
        this.skipped += 1;
      }
      if (end >= 0) for (const line of text.slice(0, end).split('\n')) this.add(line);
    } finally {
      await handle.close();
    }
  }

  private add(line: string): void {
    const parsed = parseMetricsLine(line);
    if (parsed === undefined) {
      this.skipped += 1;
      return;
    }
    // Answers made before a service was chosen (431, no service) belong to no lane, as in the Node engine.
    if (parsed.service === '') return;
    this.registry.lane(parsed.service, parsed.lane).record(parsed.status, parsed.seconds);
  }
}

export interface MetricsLine {
  service: string;
  lane: string;
  status: number;
  seconds: number;
}

/** One line of NGINX_METRICS_LOG_FORMAT, or undefined when it is not one. */
export function parseMetricsLine(line: string): MetricsLine | undefined {
  if (line.length > MAX_LINE) return undefined;
  const fields = line.split(' ');
  if (fields.length !== 5) return undefined;
  const [, service = '', lane = '', statusText = '', secondsText = ''] = fields;
  const status = Number(statusText);
  const seconds = Number(secondsText);
  if (!Number.isInteger(status) || status < 100 || status > 599 || !(seconds >= 0)) return undefined;
  if (service !== '' && lane === '') return undefined;
  return { service, lane, status, seconds };
}
