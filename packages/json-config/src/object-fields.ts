import { closestName } from './did-you-mean.js';
import type { IssueSink } from './issue-sink.js';
import { childPath } from './json-path.js';
import { describe, isJsonObject, type JsonObject } from './json-value.js';

export interface IntegerSpec {
  min: number;
  max: number;
  /** Used when the field is absent; without it the field is required. */
  default?: number;
  /** What the number is, for messages: `an integer port`, `a whole number of milliseconds`. @default 'an integer' */
  what?: string;
  /** What to do when a required field is missing. */
  missing?: string;
}

/** How a list of choices and one of its items are named in messages. */
export interface ChoiceListNames {
  /** One entry: `carrier`. */
  item: string;
  /** The whole list: `carriers in precedence order`. */
  list: string;
}

/** The hint for a field written one object away from where it goes: `it belongs in "run.command"`. */
export function belongsIn(path: string): string {
  return `it belongs in "${path}"`;
}

/**
 * Reads the fields of one JSON object. Problems go to the sink rather than being thrown so that a user sees every
 * issue at once; a reader then returns a placeholder, which never escapes because the validator throws when any issue
 * exists.
 */
export class ObjectFields<Sink extends IssueSink = IssueSink> {
  /** Known fields that an unknown field looked like a typo of: no second issue saying they are missing. */
  private readonly misspelled = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly value: JsonObject,
    readonly sink: Sink,
  ) {}

  /**
   * Opens `value` as an object that may hold only the `known` fields; reports an unknown field with the known field
   * it looks like a typo of, or else the list of known fields. `elsewhere` maps a field that people put in the wrong
   * place to a better hint than either (`command` -> `belongsIn('run.command')`).
   */
  static open<Sink extends IssueSink>(
    value: unknown,
    path: string,
    sink: Sink,
    known: readonly string[],
    elsewhere: Readonly<Record<string, string>> = {},
  ): ObjectFields<Sink> | undefined {
    if (!isJsonObject(value)) {
      sink.report(path, `expected an object, got ${describe(value)}`);
      return undefined;
    }
    const fields = new ObjectFields(path, value, sink);
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const moved = Object.hasOwn(elsewhere, key) ? elsewhere[key] : undefined;
      const close = closestName(key, known);
      const list = known.filter((name) => name !== '$schema').join(', ');
      const hint = moved ? ` (${moved})` : close ? ` (did you mean "${close}"?)` : `; known fields: ${list}`;
      sink.report(childPath(path, key), `unknown field "${key}"${hint}`);
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

  /** Whether an unknown field was reported as a likely misspelling of `key`: then `key` is not really absent. */
  isMisspelled(key: string): boolean {
    return this.misspelled.has(key);
  }

  /** Reports a missing required field, unless a misspelling of it was already reported. */
  missing(key: string, message: string): void {
    if (!this.misspelled.has(key)) this.report(this.at(key), message);
  }

  report(path: string, message: string): void {
    this.sink.report(path, message);
  }

  /** A nested object; absent gives `undefined` and no issue, so the caller fills defaults. */
  object(
    key: string,
    known: readonly string[],
    elsewhere?: Readonly<Record<string, string>>,
  ): ObjectFields<Sink> | undefined {
    if (!this.has(key)) return undefined;
    return ObjectFields.open(this.get(key), this.at(key), this.sink, known, elsewhere);
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
      const quoted = typeof value === 'string' && /^\d+$/.test(value) ? ` (write it without quotes: ${value})` : '';
      this.report(this.at(key), `expected ${what} from ${spec.min} to ${spec.max}, got ${describe(value)}${quoted}`);
      return spec.default ?? spec.min;
    }
    return value;
  }

  /** A finite number at least `min`; `fallback` when absent or invalid (which is reported). */
  number(key: string, min: number, fallback: number): number {
    const value = this.get(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      this.report(this.at(key), `expected a number >= ${min}, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** `true` or `false`; `fallback` when absent or invalid (which is reported). */
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

  /** A string that must not be empty or only spaces; `undefined` when absent or invalid (which is reported). */
  text(key: string, what: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (value.trim() === '') {
      this.report(this.at(key), `expected ${what}, got an empty string`);
      return undefined;
    }
    return value;
  }

  /** One of `values`; `fallback` when absent or invalid (which is reported, with the value it looks like a typo of). */
  choice<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const value = this.get(key);
    if (value === undefined) return fallback;
    const found = values.find((candidate) => candidate === value);
    if (found !== undefined) return found;
    const options = values.map((candidate) => `"${candidate}"`).join(' or ');
    this.report(this.at(key), `expected ${options}, got ${describe(value)}${typoHint(value, values)}`);
    return fallback;
  }

  /**
   * A non-empty list of distinct `values`, in the order written; a copy of `fallback` when absent or not a non-empty
   * list. Each unknown or repeated entry is reported on its own and left out.
   */
  choiceList<T extends string>(key: string, values: readonly T[], fallback: readonly T[], names: ChoiceListNames): T[] {
    const value = this.get(key);
    if (value === undefined) return [...fallback];
    const path = this.at(key);
    const options = values.map((candidate) => `"${candidate}"`).join(', ');
    if (!Array.isArray(value) || value.length === 0) {
      this.report(path, `expected a non-empty list of ${names.list} (${options}), got ${describe(value)}`);
      return [...fallback];
    }
    const chosen: T[] = [];
    value.forEach((entry: unknown, index) => {
      const at = childPath(path, index);
      const found = values.find((candidate) => candidate === entry);
      if (found === undefined) {
        const unknown = `unknown ${names.item} ${describe(entry)}${typoHint(entry, values)}`;
        this.report(at, `${unknown}; expected one of ${options}`);
      } else if (chosen.includes(found)) {
        this.report(at, `"${found}" is listed twice; list each ${names.item} once`);
      } else {
        chosen.push(found);
      }
    });
    return chosen;
  }
}

function typoHint(value: unknown, values: readonly string[]): string {
  const close = typeof value === 'string' ? closestName(value, values) : undefined;
  return close ? ` (did you mean "${close}"?)` : '';
}
