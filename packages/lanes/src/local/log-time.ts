/**
 * When a log line was written, as far as the line itself says: a leading ISO 8601 date-time (the platform's own
 * lines, most loggers' text format) or the `time` / `timestamp` field of a JSON line (pino writes epoch ms, others
 * ISO text). Undefined when it says nothing: the replica's stdout reaches its log file directly, with no stamp.
 */
export function lineTime(line: string): number | undefined {
  const leading = LEADING_ISO.exec(line)?.[0];
  if (leading !== undefined) return finite(Date.parse(leading));
  if (!line.startsWith('{') || line.length > MAX_JSON_LINE) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const value = record.time ?? record.timestamp;
  if (typeof value === 'number') return finite(value);
  if (typeof value === 'string' && LEADING_ISO.test(value)) return finite(Date.parse(value));
  return undefined;
}

/** `2026-12-06T17:49:31.123Z`, `2026-12-06 17:49:31+01:00`: date, time, optional fraction, zone required. */
const LEADING_ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})/;
/** A longer line is no log record worth parsing to sort one line. */
const MAX_JSON_LINE = 64 * 1024;

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

/** One line of one replica's log, with the time it is sorted by. */
export interface TimedLine {
  source: string;
  line: string;
  time: number;
}

/**
 * Interleaves the lines of several replica logs by time. A line that carries no time takes the time of the line
 * before it in its file (the one after it, at the top of the file; the file's last change when none has one), so
 * a stack trace stays under the line that logged it. Equal times keep the files' order, and each file's own order.
 */
export function interleaveByTime(
  files: readonly { source: string; lines: readonly string[]; modifiedMs: number }[],
): TimedLine[] {
  const timed: (TimedLine & { file: number; index: number })[] = [];
  files.forEach((file, fileIndex) => {
    const times = file.lines.map(lineTime);
    const firstKnown = times.find((time) => time !== undefined) ?? file.modifiedMs;
    let current = firstKnown;
    file.lines.forEach((line, index) => {
      current = times[index] ?? current;
      timed.push({ source: file.source, line, time: current, file: fileIndex, index });
    });
  });
  timed.sort((a, b) => a.time - b.time || a.file - b.file || a.index - b.index);
  return timed.map(({ source, line, time }) => ({ source, line, time }));
}
