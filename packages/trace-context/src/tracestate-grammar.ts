import {
  AT,
  COMMA,
  EQUALS,
  isDigit,
  isLcAlpha,
  isOws,
  isTraceStateKeyChar,
  isTraceStateKeyCharL2,
  SPACE,
  TAB,
} from './chars.js';
import { DEFAULT_TRACE_CONTEXT_LEVEL, type TraceContextLevel } from './trace-context-level.js';

/** Most list members a tracestate may carry. */
export const TRACESTATE_MAX_MEMBERS = 32;
/** Longest key at both levels (`0*255` chars after the first); Level 1's tenant id and system id limits. */
const MAX_SIMPLE_KEY = 256;
const MAX_TENANT_ID = 241;
const MAX_SYSTEM_ID = 14;
const MAX_VALUE = 256;

/**
 * Where the members of the last header that {@link scanTraceState} accepted sit in it. Reused across calls so
 * the hot path allocates nothing; read it before the next scan.
 */
export const scanned = {
  count: 0,
  keyStart: new Int32Array(TRACESTATE_MAX_MEMBERS),
  /** Index of the `=`; the value starts right after it. */
  keyEnd: new Int32Array(TRACESTATE_MAX_MEMBERS),
  /** Exclusive end of the value, trailing optional whitespace excluded. */
  valueEnd: new Int32Array(TRACESTATE_MAX_MEMBERS),
  keyHash: new Int32Array(TRACESTATE_MAX_MEMBERS),
};

/**
 * End of the run of `isChar` chars from `from`, or -1 when the part that starts at `start` gets longer than `max`.
 */
function scanRun(s: string, start: number, from: number, end: number, isChar: (c: number) => boolean, max: number) {
  let i = from;
  while (i < end && isChar(s.charCodeAt(i))) {
    if (i - start >= max) return -1;
    i++;
  }
  return i;
}

/**
 * Level 2 key (https://www.w3.org/TR/trace-context-2/#key):
 * `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`, `keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"`.
 * `@` is an ordinary char here: no tenant/system split, no part limits. Returns the key's exclusive end or -1.
 */
function scanKeyL2(s: string, start: number, end: number): number {
  const first = s.charCodeAt(start);
  if (!isLcAlpha(first) && !isDigit(first)) return -1;
  return scanRun(s, start, start + 1, end, isTraceStateKeyCharL2, MAX_SIMPLE_KEY);
}

/**
 * Level 1 key (https://www.w3.org/TR/trace-context-1/#key): simple-key / multi-tenant-key
 * (`tenant-id "@" system-id`, at most 241 and 14 chars). Returns the key's exclusive end, or -1.
 */
function scanKeyL1(s: string, start: number, end: number): number {
  const first = s.charCodeAt(start);
  if (!isLcAlpha(first) && !isDigit(first)) return -1;
  const i = scanRun(s, start, start + 1, end, isTraceStateKeyChar, MAX_SIMPLE_KEY);
  if (i < 0) return -1;
  if (i >= end || s.charCodeAt(i) !== AT) {
    // simple-key must open with a letter; a digit may open only a tenant id.
    return isLcAlpha(first) ? i : -1;
  }
  if (i - start > MAX_TENANT_ID) return -1;
  const systemStart = i + 1;
  if (systemStart >= end || !isLcAlpha(s.charCodeAt(systemStart))) return -1;
  return scanRun(s, systemStart, systemStart + 1, end, isTraceStateKeyChar, MAX_SYSTEM_ID);
}

/** FNV-1a over a key, so duplicate detection compares chars only when hashes collide. */
function hashRange(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function sameRange(s: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (s.charCodeAt(a + i) !== s.charCodeAt(b + i)) return false;
  return true;
}

function scanKey(s: string, start: number, end: number, level: TraceContextLevel): number {
  return level === 1 ? scanKeyL1(s, start, end) : scanKeyL2(s, start, end);
}

function isDuplicate(s: string, keyStart: number, keyEnd: number, hash: number, count: number): boolean {
  for (let j = 0; j < count; j++) {
    if (scanned.keyHash[j] !== hash) continue;
    if (sameRange(s, scanned.keyStart[j] ?? 0, scanned.keyEnd[j] ?? 0, keyStart, keyEnd)) return true;
  }
  return false;
}

/**
 * Validates a whole combined tracestate value in one pass and records its members in {@link scanned}.
 * Returns false when the header must be discarded: a member that breaks the grammar or more than 32 members.
 * Empty and whitespace-only members are allowed and skipped (not counted).
 *
 * A key present twice: Level 2 keeps the left-most member and drops the later ones ("Only one entry per key is
 * allowed", https://www.w3.org/TR/trace-context-2/#combined-header-value; adding a pair "MUST NOT result in the
 * same key being present multiple times", #mutating-the-tracestate-field), so one stray repeat no longer costs
 * every other vendor its entry. Level 1 discards the whole header, as its test suite expects.
 */
export function scanTraceState(s: string, level: TraceContextLevel = DEFAULT_TRACE_CONTEXT_LEVEL): boolean {
  const n = s.length;
  let count = 0;
  let members = 0;
  let i = 0;
  while (i < n) {
    while (i < n && isOws(s.charCodeAt(i))) i++;
    if (i >= n) break;
    if (s.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }
    const keyStart = i;
    const keyEnd = scanKey(s, i, n, level);
    if (keyEnd < 0 || s.charCodeAt(keyEnd) !== EQUALS) return false;
    // value = 0*255(chr) nblk-chr: printable ASCII but "," and "="; trailing spaces are OWS, not value.
    i = keyEnd + 1;
    let valueEnd = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === COMMA || c === TAB) break;
      if (c < SPACE || c > 0x7e || c === EQUALS) return false;
      i++;
      if (c !== SPACE) valueEnd = i;
      if (valueEnd - keyEnd - 1 > MAX_VALUE) return false;
    }
    if (valueEnd === keyEnd + 1) return false;
    while (i < n && isOws(s.charCodeAt(i))) i++;
    if (i < n && s.charCodeAt(i) !== COMMA) return false;
    // The 32-member limit is on the list as received (`list-member 0*31(...)`), repeats included.
    if (members === TRACESTATE_MAX_MEMBERS) return false;
    members++;
    i++;
    const hash = hashRange(s, keyStart, keyEnd);
    if (isDuplicate(s, keyStart, keyEnd, hash, count)) {
      if (level === 1) return false;
      continue;
    }
    scanned.keyStart[count] = keyStart;
    scanned.keyEnd[count] = keyEnd;
    scanned.valueEnd[count] = valueEnd;
    scanned.keyHash[count] = hash;
    count++;
  }
  scanned.count = count;
  return true;
}

/**
 * True when `key` is a valid tracestate key: at Level 2 a lowercase letter or digit then up to 255 of
 * `a-z 0-9 _ - * / @`; at Level 1 a simple key or `tenant@system` within their part limits.
 * @default level 2
 */
export function isValidTraceStateKey(key: string, level: TraceContextLevel = DEFAULT_TRACE_CONTEXT_LEVEL): boolean {
  return key.length > 0 && scanKey(key, 0, key.length, level) === key.length;
}

/** True when `value` is a valid tracestate value: 1-256 printable ASCII chars but `,` `=`, not ending in space. */
export function isValidTraceStateValue(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > MAX_VALUE || value.charCodeAt(n - 1) === SPACE) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < SPACE || c > 0x7e || c === COMMA || c === EQUALS) return false;
  }
  return true;
}
