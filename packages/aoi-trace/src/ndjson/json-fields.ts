// Typed access to one parsed JSON object, failing with the JSON path of the bad field. Strict on types (a number
// must be a JSON number, never a string), lenient on absence where the caller gives a default.

import { TraceError, TraceErrorCode } from '../errors.js';
import { isWellFormedText } from '../model/trace-limits.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export class JsonFields {
  constructor(
    readonly object: JsonObject,
    readonly path: string,
    private readonly line: number,
    private readonly tick?: number,
  ) {}

  fail(key: string | undefined, reason: string): never {
    const path = key === undefined ? this.path : `${this.path}.${key}`;
    throw ndjsonError(this.line, path, reason, this.tick);
  }

  has(key: string): boolean {
    return this.object[key] !== undefined;
  }

  number(key: string, fallback?: number): number {
    const value = this.object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number') this.fail(key, `must be a number, got ${describe(value)}.`);
    return value;
  }

  /** An integer in `min..max` (ids and indices go into Int32Arrays, where a fraction would be silently cut). */
  integer(key: string, min: number, max: number, fallback?: number): number {
    const value = this.number(key, fallback);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(key, `must be an integer ${min}..${max}, got ${value}.`);
    }
    return value;
  }

  boolean(key: string, fallback?: boolean): boolean {
    const value = this.object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(key, `must be true or false, got ${describe(value)}.`);
    return value;
  }

  string(key: string, fallback?: string): string {
    const value = this.object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') this.fail(key, `must be a string, got ${describe(value)}.`);
    this.text(key, value);
    return value;
  }

  /** Fails unless `value` can be stored as UTF-8 (no lone surrogate such as `\ud800`). */
  text(key: string, value: string): void {
    if (!isWellFormedText(value)) this.fail(key, 'has a lone surrogate (\\ud800..\\udfff), which UTF-8 cannot store.');
  }

  /** A missing array is an empty one. */
  array(key: string): readonly unknown[] {
    const value = this.object[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, `must be an array, got ${describe(value)}.`);
    return value;
  }

  strings(key: string): string[] {
    return this.array(key).map((item, i) => {
      if (typeof item !== 'string') this.fail(`${key}[${i}]`, `must be a string, got ${describe(item)}.`);
      this.text(`${key}[${i}]`, item);
      return item;
    });
  }

  /** The object at `key` (or at `key[index]`), as fields of its own. */
  child(value: unknown, key: string): JsonFields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(key, `must be an object, got ${describe(value)}.`);
    }
    return new JsonFields(value as JsonObject, `${this.path}.${key}`, this.line, this.tick);
  }
}

export function ndjsonError(line: number, path: string, reason: string, tick?: number): TraceError {
  const where = tick === undefined ? `line ${line}` : `line ${line} (tick ${tick})`;
  return new TraceError(TraceErrorCode.InvalidRecord, `${where}: ${path}: ${reason}`, {
    line,
    path,
    ...(tick === undefined ? {} : { tick }),
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
