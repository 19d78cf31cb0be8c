/** One sample line of the Prometheus text exposition format. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  /** As written: NaN, +Inf and -Inf are valid values. */
  value: number;
}

/** A line that is neither a comment nor a sample; skipped, and kept so a caller can say what it could not read. */
export interface ExpositionProblem {
  /** 1-based. */
  line: number;
  reason: string;
}

export interface ParsedExposition {
  /** Each metric name's samples summed over all their labels. */
  totals: Map<string, number>;
  problems: ExpositionProblem[];
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/** Go's ParseFloat, which Prometheus uses, also takes NaN and Inf in any case. */
function parseValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return Number.NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(text);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/** A tiny cursor over one line, with sticky regexes so nothing is copied. */
class Cursor {
  at = 0;
  constructor(readonly text: string) {}
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (!found) return undefined;
    this.at += found[0].length;
    return found[0];
  }
  skipSpace(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at += 1;
  }
  take(char: string): boolean {
    if (this.text[this.at] !== char) return false;
    this.at += 1;
    return true;
  }
}

function readLabelValue(cursor: Cursor): string | undefined {
  if (!cursor.take('"')) return undefined;
  let value = '';
  while (cursor.at < cursor.text.length) {
    const char = cursor.text.charAt(cursor.at++);
    if (char === '"') return value;
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escaped = ESCAPES[cursor.text[cursor.at++] ?? ''];
    if (escaped === undefined) return undefined;
    value += escaped;
  }
  return undefined;
}

function readLabels(cursor: Cursor): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (;;) {
    cursor.skipSpace();
    if (cursor.take('}')) return labels;
    const name = cursor.match(LABEL_NAME);
    if (name === undefined) return 'expected a label name';
    cursor.skipSpace();
    if (!cursor.take('=')) return `expected "=" after label ${name}`;
    cursor.skipSpace();
    const value = readLabelValue(cursor);
    if (value === undefined) return `expected a quoted value for label ${name}`;
    labels[name] = value;
    cursor.skipSpace();
    if (cursor.take('}')) return labels;
    if (!cursor.take(',')) return `expected "," or "}" after label ${name}`;
  }
}

/** Parses one sample line; a string says why it is not one. */
export function parseSampleLine(line: string): PrometheusSample | string {
  const cursor = new Cursor(line);
  cursor.skipSpace();
  const name = cursor.match(NAME);
  if (name === undefined) return 'expected a metric name';
  cursor.skipSpace();
  let labels: Record<string, string> = {};
  if (cursor.take('{')) {
    const read = readLabels(cursor);
    if (typeof read === 'string') return read;
    labels = read;
  }
  const [rawValue, timestamp, ...rest] = line
    .slice(cursor.at)
    .trim()
    .split(/[ \t]+/);
  const value = rawValue ? parseValue(rawValue) : undefined;
  if (value === undefined) return `expected a number after ${name}, got ${JSON.stringify(rawValue ?? '')}`;
  if (timestamp !== undefined && !/^-?\d+$/.test(timestamp))
    return `expected a timestamp, got ${JSON.stringify(timestamp)}`;
  if (rest.length > 0) return 'unexpected text after the timestamp';
  return { name, labels, value };
}

/**
 * Sums each metric's samples over their labels. Comments (`# HELP`, `# TYPE`, any `#` line) and blank lines are
 * skipped; a line that is not a valid sample is skipped and reported, so one odd line does not hide the rest.
 */
export function parsePrometheusText(text: string): ParsedExposition {
  const totals = new Map<string, number>();
  const problems: ExpositionProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const sample = parseSampleLine(line);
    if (typeof sample === 'string') problems.push({ line: index + 1, reason: sample });
    else totals.set(sample.name, (totals.get(sample.name) ?? 0) + sample.value);
  });
  return { totals, problems };
}
