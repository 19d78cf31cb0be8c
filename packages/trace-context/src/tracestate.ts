import { quote, TRACE_CONTEXT_ERROR_CODES, TraceContextError } from './errors.js';
import { combineFields, type HeaderInput } from './header-value.js';
import {
  DEFAULT_TRACE_CONTEXT_LEVEL,
  type TraceContextLevel,
  type TraceContextLevelOption,
} from './trace-context-level.js';
import {
  isValidTraceStateKey,
  isValidTraceStateValue,
  scanned,
  scanTraceState,
  TRACESTATE_MAX_MEMBERS,
} from './tracestate-grammar.js';
import { truncateMembers } from './tracestate-truncate.js';

export type TraceStateEntry = readonly [key: string, value: string];

const KEY_RULES = {
  1: 'use 1-256 of a-z 0-9 _ - * / starting with a letter, or tenant@system (Trace Context Level 1)',
  2: 'use 1-256 of a-z 0-9 _ - * / @ starting with a letter or digit (Trace Context Level 2)',
} as const;

function assertMember(key: string, value: string, level: TraceContextLevel): void {
  if (!isValidTraceStateKey(key, level)) {
    throw new TraceContextError(
      TRACE_CONTEXT_ERROR_CODES.invalidTraceStateKey,
      `tracestate key ${quote(key)} is invalid: ${KEY_RULES[level]}`,
    );
  }
  if (!isValidTraceStateValue(value)) {
    throw new TraceContextError(
      TRACE_CONTEXT_ERROR_CODES.invalidTraceStateValue,
      `tracestate value ${quote(value)} for key ${quote(key)} is invalid: use 1-256 printable ASCII characters except "," and "=", not ending in a space`,
    );
  }
}

/**
 * An immutable W3C `tracestate`: at most 32 members with unique keys, left-most is the most recent.
 * Every mutation returns a new instance and follows the spec's rules (updated or added members move left).
 * An instance keeps the Trace Context level it was parsed or built with and validates new keys by it.
 */
export class TraceState {
  /** The empty tracestate (Level 2). */
  static readonly empty: TraceState = new TraceState([], 2);
  private static readonly emptyLevel1: TraceState = new TraceState([], 1);

  private constructor(
    private readonly members: readonly TraceStateEntry[],
    /** The Trace Context level whose key grammar `set` applies. */
    readonly level: TraceContextLevel,
  ) {}

  private static emptyAt(level: TraceContextLevel): TraceState {
    return level === 1 ? TraceState.emptyLevel1 : TraceState.empty;
  }

  private with(members: readonly TraceStateEntry[]): TraceState {
    return members.length === 0 ? TraceState.emptyAt(this.level) : new TraceState(Object.freeze(members), this.level);
  }

  /**
   * Parses received tracestate field(s), combined in order. A header that breaks the grammar or has more than
   * 32 members is discarded whole: the result is then empty. A repeated key keeps its left-most member at
   * Level 2 (the default) and discards the whole header at Level 1.
   */
  static parse(value: HeaderInput, options?: TraceContextLevelOption): TraceState {
    const level = options?.traceContextLevel ?? DEFAULT_TRACE_CONTEXT_LEVEL;
    const s = combineFields(value);
    if (s === undefined || !scanTraceState(s, level)) return TraceState.emptyAt(level);
    if (scanned.count === 0) return TraceState.emptyAt(level);
    const members: TraceStateEntry[] = new Array(scanned.count);
    for (let j = 0; j < scanned.count; j++) {
      const keyEnd = scanned.keyEnd[j] ?? 0;
      members[j] = Object.freeze([
        s.slice(scanned.keyStart[j], keyEnd),
        s.slice(keyEnd + 1, scanned.valueEnd[j]),
      ] as const);
    }
    return new TraceState(Object.freeze(members), level);
  }

  /**
   * Builds a tracestate from entries in order, left-most first.
   * @throws TraceContextError on an invalid key or value, a repeated key, or more than 32 entries.
   */
  static fromEntries(entries: Iterable<TraceStateEntry>, options?: TraceContextLevelOption): TraceState {
    const level = options?.traceContextLevel ?? DEFAULT_TRACE_CONTEXT_LEVEL;
    const members: TraceStateEntry[] = [];
    const seen = new Set<string>();
    for (const [key, value] of entries) {
      assertMember(key, value, level);
      if (seen.has(key)) {
        throw new TraceContextError(
          TRACE_CONTEXT_ERROR_CODES.duplicateTraceStateKey,
          `tracestate key ${quote(key)} appears twice; a key may appear once`,
        );
      }
      seen.add(key);
      members.push(Object.freeze([key, value] as const));
    }
    if (members.length > TRACESTATE_MAX_MEMBERS) {
      throw new TraceContextError(
        TRACE_CONTEXT_ERROR_CODES.tooManyTraceStateMembers,
        `tracestate has ${members.length} members; at most ${TRACESTATE_MAX_MEMBERS} are allowed`,
      );
    }
    return members.length === 0 ? TraceState.emptyAt(level) : new TraceState(Object.freeze(members), level);
  }

  get size(): number {
    return this.members.length;
  }

  get(key: string): string | undefined {
    for (const [k, v] of this.members) if (k === key) return v;
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Adds or updates `key`, moving it to the front (left) as the spec requires. When that makes 33 members the
   * right-most one is dropped.
   * @throws TraceContextError `TRACE_CONTEXT_INVALID_TRACESTATE_KEY` / `TRACE_CONTEXT_INVALID_TRACESTATE_VALUE`.
   */
  set(key: string, value: string): TraceState {
    assertMember(key, value, this.level);
    const rest = this.members.filter(([k]) => k !== key);
    if (rest.length >= TRACESTATE_MAX_MEMBERS) rest.length = TRACESTATE_MAX_MEMBERS - 1;
    return this.with([Object.freeze([key, value] as const), ...rest]);
  }

  /** Removes `key`; the others keep their order. Returns this instance when `key` is absent. */
  delete(key: string): TraceState {
    if (!this.has(key)) return this;
    return this.with(this.members.filter(([k]) => k !== key));
  }

  keys(): readonly string[] {
    return this.members.map(([k]) => k);
  }

  entries(): readonly TraceStateEntry[] {
    return this.members;
  }

  /**
   * Drops whole members until the serialized header fits `maxLength` chars: first members longer than 128 chars,
   * then from the right end, as the spec's truncation rules say. Returns this instance when it already fits.
   */
  truncate(maxLength: number): TraceState {
    const kept = truncateMembers(this.members, maxLength);
    if (kept.length === this.members.length) return this;
    return this.with(kept);
  }

  /**
   * The header value, `key=value` members joined by `,` without optional whitespace.
   * @param maxLength when given, members are dropped per {@link TraceState.truncate} until the value fits.
   * @default no limit (at most 32 members of 513 chars, so bounded anyway)
   */
  serialize(maxLength?: number): string {
    const members = maxLength === undefined ? this.members : truncateMembers(this.members, maxLength);
    let out = '';
    for (let j = 0; j < members.length; j++) {
      const member = members[j];
      if (member === undefined) continue;
      out += j === 0 ? `${member[0]}=${member[1]}` : `,${member[0]}=${member[1]}`;
    }
    return out;
  }

  toString(): string {
    return this.serialize();
  }
}
