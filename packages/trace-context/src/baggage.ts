import { BAGGAGE_MAX_BYTES, type BaggageCursor, member, nextBaggageMember } from './baggage-grammar.js';
import { isOws, isTokenChar } from './chars.js';
import { quote, TRACE_CONTEXT_ERROR_CODES, TraceContextError } from './errors.js';
import { combineFields, type HeaderInput } from './header-value.js';
import { percentDecode, percentEncode } from './percent-encoding.js';

/** Metadata after a value: `;key` (no `value`) or `;key=value` (value decoded). */
export interface BaggageProperty {
  readonly key: string;
  readonly value?: string;
}

/** One list-member with its value and property values percent-decoded. */
export interface BaggageEntry {
  readonly key: string;
  readonly value: string;
  readonly properties: readonly BaggageProperty[];
}

const NO_PROPERTIES: readonly BaggageProperty[] = Object.freeze([]);

/** True when `key` is an RFC 7230 token, the grammar of baggage keys and property keys. */
export function isValidBaggageKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) if (!isTokenChar(key.charCodeAt(i))) return false;
  return true;
}

function trimmed(s: string, start: number, end: number): string {
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Reads the already validated `;...` tail of the current {@link member}. */
function readProperties(s: string): readonly BaggageProperty[] {
  if (member.propertiesStart >= member.end) return NO_PROPERTIES;
  const properties: BaggageProperty[] = [];
  // The grammar admits no ";" inside keys or values, so splitting on it is exact.
  for (const part of s.slice(member.propertiesStart + 1, member.end).split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) properties.push(Object.freeze({ key: trimmed(part, 0, part.length) }));
    else {
      const value = percentDecode(trimmed(part, eq + 1, part.length));
      properties.push(Object.freeze({ key: trimmed(part, 0, eq), value }));
    }
  }
  return Object.freeze(properties);
}

function makeEntry(key: string, value: string, properties: readonly BaggageProperty[] | undefined): BaggageEntry {
  if (!isValidBaggageKey(key)) {
    throw new TraceContextError(
      TRACE_CONTEXT_ERROR_CODES.invalidBaggageKey,
      `baggage key ${quote(key)} is invalid: use 1 or more letters, digits or !#$%&'*+-.^_\`|~`,
    );
  }
  const props = (properties ?? NO_PROPERTIES).map((p) => {
    if (!isValidBaggageKey(p.key)) {
      throw new TraceContextError(
        TRACE_CONTEXT_ERROR_CODES.invalidBaggagePropertyKey,
        `baggage property key ${quote(p.key)} on ${quote(key)} is invalid: use an RFC 7230 token`,
      );
    }
    return Object.freeze(p.value === undefined ? { key: p.key } : { key: p.key, value: p.value });
  });
  return Object.freeze({ key, value, properties: props.length === 0 ? NO_PROPERTIES : Object.freeze(props) });
}

function serializeEntry(entry: BaggageEntry): string {
  let out = `${entry.key}=${percentEncode(entry.value)}`;
  for (const p of entry.properties) out += p.value === undefined ? `;${p.key}` : `;${p.key}=${percentEncode(p.value)}`;
  return out;
}

/**
 * Immutable W3C Baggage. Keys may repeat (the spec allows it and keeps their order); `get` reads the first.
 * Every mutation returns a new instance.
 */
export class Baggage {
  static readonly empty: Baggage = new Baggage([]);

  private constructor(private readonly members: readonly BaggageEntry[]) {}

  /**
   * Parses received baggage field(s), combined in order. Empty and invalid members are dropped one by one and
   * the rest kept; members past {@link BAGGAGE_MAX_BYTES} are dropped from the right end. Never throws.
   */
  static parse(value: HeaderInput): Baggage {
    const s = combineFields(value);
    if (s === undefined) return Baggage.empty;
    const cursor: BaggageCursor = { position: 0, used: 0 };
    const members: BaggageEntry[] = [];
    while (nextBaggageMember(s, cursor)) {
      const key = s.slice(member.keyStart, member.keyEnd);
      const decoded = percentDecode(s.slice(member.valueStart, member.valueEnd));
      members.push(Object.freeze({ key, value: decoded, properties: readProperties(s) }));
    }
    return members.length === 0 ? Baggage.empty : new Baggage(Object.freeze(members));
  }

  /**
   * Builds baggage from entries in order, duplicates kept.
   * @throws TraceContextError `TRACE_CONTEXT_INVALID_BAGGAGE_KEY` / `TRACE_CONTEXT_INVALID_BAGGAGE_PROPERTY_KEY`.
   */
  static fromEntries(entries: Iterable<BaggageEntry>): Baggage {
    const members = Array.from(entries, (e) => makeEntry(e.key, e.value, e.properties));
    return members.length === 0 ? Baggage.empty : new Baggage(Object.freeze(members));
  }

  get size(): number {
    return this.members.length;
  }

  /** The decoded value of the first member with `key`. */
  get(key: string): string | undefined {
    return this.getEntry(key)?.value;
  }

  /** The first member with `key`, value and properties decoded. */
  getEntry(key: string): BaggageEntry | undefined {
    for (const entry of this.members) if (entry.key === key) return entry;
    return undefined;
  }

  has(key: string): boolean {
    return this.getEntry(key) !== undefined;
  }

  /**
   * Sets `key` (any Unicode value; encoded on serialize), removing other members with that key and placing it
   * first, so that when the list is cut to its size limit from the right the newest member survives.
   * @throws TraceContextError `TRACE_CONTEXT_INVALID_BAGGAGE_KEY` / `TRACE_CONTEXT_INVALID_BAGGAGE_PROPERTY_KEY`.
   */
  set(key: string, value: string, properties?: readonly BaggageProperty[]): Baggage {
    const entry = makeEntry(key, value, properties);
    return new Baggage(Object.freeze([entry, ...this.members.filter((e) => e.key !== key)]));
  }

  /** Removes every member with `key`. Returns this instance when there is none. */
  delete(key: string): Baggage {
    if (!this.has(key)) return this;
    const rest = this.members.filter((e) => e.key !== key);
    return rest.length === 0 ? Baggage.empty : new Baggage(Object.freeze(rest));
  }

  keys(): readonly string[] {
    return this.members.map((e) => e.key);
  }

  entries(): readonly BaggageEntry[] {
    return this.members;
  }

  /**
   * The header value: members joined by `,`, values percent-encoded where the grammar requires.
   * Whole members that would take it past `maxBytes` are dropped from the right end.
   * @default maxBytes 8192, the size the spec guarantees every platform propagates
   * @throws TraceContextError `TRACE_CONTEXT_INVALID_ARGUMENT` when `maxBytes` is not a non-negative integer.
   */
  serialize(maxBytes: number = BAGGAGE_MAX_BYTES): string {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) {
      throw new TraceContextError(
        TRACE_CONTEXT_ERROR_CODES.invalidArgument,
        `baggage maxBytes must be a non-negative integer, got ${String(maxBytes)}`,
      );
    }
    let out = '';
    for (const entry of this.members) {
      const text = serializeEntry(entry);
      const next = out.length === 0 ? text : `${out},${text}`;
      if (next.length > maxBytes) break;
      out = next;
    }
    return out;
  }

  toString(): string {
    return this.serialize();
  }
}
