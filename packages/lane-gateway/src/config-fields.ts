import type { ConfigIssue } from './errors.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `services.shop.lanes.gray.replicas[0]`; keys that are not plain words are quoted so the path stays unambiguous. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!/^[\w$-]+$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** A short rendering of a value for `got ...`, so a message never dumps a whole object. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return value === null ? 'null' : 'an object';
  if (typeof value === 'string') {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
  }
  return String(value);
}

/** Optimal string alignment distance: like Levenshtein, but a swap of two neighbours (`weigth`) costs 1. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The known name closest to a misspelled one, if it is close enough to be a typo rather than a different word. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // One edit for short names, two for longer ones: `prot` -> `port`, `weigth` -> `weight`, but not `host` -> `port`.
  const allowed = Math.max(1, Math.min(2, Math.floor(lower.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

export interface IntegerSpec {
  min: number;
  max: number;
  /** Used when the field is absent; without it the field is required. */
  default?: number;
  /** What the number is, for messages: `an integer port`, `a number of milliseconds`. */
  what?: string;
  /** What to do when a required field is missing. */
  missing?: string;
}

/**
 * Reads the fields of one JSON object. Problems are recorded rather than thrown so that a user sees every issue at
 * once; a reader then returns a placeholder, which never escapes because the parser throws when any issue exists.
 */
export class ObjectFields {
  /** Known fields that an unknown field looked like a typo of: no second issue saying they are missing. */
  private readonly misspelled = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly value: JsonObject,
    readonly issues: ConfigIssue[],
  ) {}

  /**
   * Opens `value` as an object that may hold only the `known` fields. `elsewhere` names where a field that belongs
   * to another object goes (`pathPrefix` -> `match.pathPrefix`), for a better hint than a spelling suggestion.
   */
  static open(
    value: unknown,
    path: string,
    issues: ConfigIssue[],
    known: readonly string[],
    elsewhere: Readonly<Record<string, string>> = {},
  ): ObjectFields | undefined {
    if (!isJsonObject(value)) {
      issues.push({ path, message: `expected an object, got ${describe(value)}` });
      return undefined;
    }
    const fields = new ObjectFields(path, value, issues);
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const moved = Object.hasOwn(elsewhere, key) ? elsewhere[key] : undefined;
      const close = closestName(key, known);
      const list = known.filter((name) => name !== '$schema').join(', ');
      const hint = moved
        ? ` (it belongs in "${moved}")`
        : close
          ? ` (did you mean "${close}"?)`
          : `; known fields: ${list}`;
      issues.push({ path: childPath(path, key), message: `unknown field "${key}"${hint}` });
      if (close && !moved) fields.misspelled.add(close);
    }
    return fields;
  }

  at(key: string): string {
    return childPath(this.path, key);
  }

  get(key: string): unknown {
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Whether an unknown field was reported as a likely misspelling of `key`. */
  isMisspelled(key: string): boolean {
    return this.misspelled.has(key);
  }

  /** Reports a missing required field, unless a misspelling of it was already reported. */
  missing(key: string, message: string): void {
    if (!this.misspelled.has(key)) this.report(this.at(key), message);
  }

  report(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** A nested object; absent gives `undefined` and no issue, so the caller fills defaults. */
  object(
    key: string,
    known: readonly string[],
    elsewhere?: Readonly<Record<string, string>>,
  ): ObjectFields | undefined {
    if (!this.has(key)) return undefined;
    return ObjectFields.open(this.get(key), this.at(key), this.issues, known, elsewhere);
  }

  integer(key: string, spec: IntegerSpec): number {
    const value = this.get(key);
    if (value === undefined) {
      if (spec.default !== undefined) return spec.default;
      this.missing(key, `missing${spec.missing ? `; ${spec.missing}` : ''}`);
      return spec.min;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
      const what = spec.what ?? 'an integer';
      this.report(this.at(key), `expected ${what} from ${spec.min} to ${spec.max}, got ${describe(value)}`);
      return spec.default ?? spec.min;
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.get(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.report(this.at(key), `expected true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A string field; `undefined` when absent, or when it is not a string (which is reported). */
  string(key: string): string | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.report(this.at(key), `expected a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  choice<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const value = this.get(key);
    if (value === undefined) return fallback;
    const found = values.find((candidate) => candidate === value);
    if (found !== undefined) return found;
    const options = values.map((candidate) => `"${candidate}"`).join(' or ');
    this.report(this.at(key), `expected ${options}, got ${describe(value)}`);
    return fallback;
  }
}
