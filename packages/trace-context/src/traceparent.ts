import { DASH, isLowerHex, isOws } from './chars.js';
import { quote, TRACE_CONTEXT_ERROR_CODES, TraceContextError } from './errors.js';
import { type HeaderInput, MAX_HEADER_INPUT_LENGTH } from './header-value.js';
import { newSpanId, newTraceId } from './random-id.js';
import { DEFAULT_TRACE_CONTEXT_LEVEL, type TraceContextLevelOption } from './trace-context-level.js';

/**
 * Bits of `trace-flags` that Trace Context Level 2 defines (https://www.w3.org/TR/trace-context-2/#trace-flags);
 * every other bit is reserved. Level 1 defines only `sampled`.
 */
export const TRACE_FLAGS = { sampled: 0x01, random: 0x02 } as const;

const KNOWN_FLAGS = { 1: TRACE_FLAGS.sampled, 2: TRACE_FLAGS.sampled | TRACE_FLAGS.random } as const;
/** `00-` + 32 + `-` + 16 + `-` + 2. */
const VERSION_00_LENGTH = 55;

/** A parsed `traceparent`. `version` is what was received; output is always written as version 00. */
export interface TraceParent {
  readonly version: number;
  /** 32 lowercase hex chars, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex chars, not all zero. */
  readonly parentId: string;
  /** The raw flags byte for version 00; for a future version only the bits this spec defines. */
  readonly traceFlags: number;
  readonly sampled: boolean;
  /** Level 2 random-trace-id flag: the right-most 7 bytes of `traceId` are random. Always false at Level 1. */
  readonly random: boolean;
}

function hexRangeValid(s: string, start: number, end: number): boolean {
  let nonZero = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isLowerHex(c)) return false;
    if (c !== 0x30) nonZero = true;
  }
  return nonZero;
}

function hexByte(s: string, at: number): number {
  const c = s.charCodeAt(at);
  if (!isLowerHex(c) || !isLowerHex(s.charCodeAt(at + 1))) return -1;
  return Number.parseInt(s.slice(at, at + 2), 16);
}

function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The single field value, or `undefined` when absent, repeated (several fields are invalid) or huge. */
function singleField(value: HeaderInput): string | undefined {
  const field = typeof value === 'string' ? value : value?.length === 1 ? value[0] : undefined;
  if (field === undefined || field.length > MAX_HEADER_INPUT_LENGTH) return undefined;
  return trimOws(field);
}

/**
 * Validates a traceparent field value without allocating. Returns the version, or -1 when invalid.
 * Version 00 must be exactly 55 chars; a higher version is read by the Level 2 forward-compatibility rule
 * (at least 55 chars, and a dash after the flags when longer); `ff` and non-lowercase hex are invalid.
 */
function versionOf(s: string): number {
  if (s.length < VERSION_00_LENGTH || s.charCodeAt(2) !== DASH) return -1;
  const version = hexByte(s, 0);
  if (version < 0 || version === 0xff) return -1;
  if (version === 0 && s.length !== VERSION_00_LENGTH) return -1;
  if (version > 0 && s.length > VERSION_00_LENGTH && s.charCodeAt(VERSION_00_LENGTH) !== DASH) return -1;
  if (s.charCodeAt(35) !== DASH || s.charCodeAt(52) !== DASH) return -1;
  if (!hexRangeValid(s, 3, 35) || !hexRangeValid(s, 36, 52)) return -1;
  if (hexByte(s, 53) < 0) return -1;
  return version;
}

/** True when `value` is one valid traceparent field; allocation-free, for hot paths that only need a yes/no. */
export function isValidTraceparent(value: HeaderInput): boolean {
  const s = singleField(value);
  return s !== undefined && versionOf(s) >= 0;
}

/**
 * Parses a received `traceparent`. Returns `undefined` when absent or invalid, including when several
 * traceparent fields were received (an array of more than one, or Node's comma-joined repeat).
 * At Level 1 the `0x02` bit is reserved, so `random` is false whatever was received.
 */
export function parseTraceparent(value: HeaderInput, options?: TraceContextLevelOption): TraceParent | undefined {
  const s = singleField(value);
  if (s === undefined) return undefined;
  const version = versionOf(s);
  if (version < 0) return undefined;
  const rawFlags = hexByte(s, 53);
  const known = KNOWN_FLAGS[options?.traceContextLevel ?? DEFAULT_TRACE_CONTEXT_LEVEL];
  // A future version's unknown flag bits must not be interpreted (#versioning-of-traceparent).
  const traceFlags = version === 0 ? rawFlags : rawFlags & known;
  return {
    version,
    traceId: s.slice(3, 35),
    parentId: s.slice(36, 52),
    traceFlags,
    sampled: (traceFlags & TRACE_FLAGS.sampled) !== 0,
    random: (traceFlags & known & TRACE_FLAGS.random) !== 0,
  };
}

function assertId(name: string, id: string, length: number): void {
  if (id.length !== length || !hexRangeValid(id, 0, length)) {
    throw new TraceContextError(
      TRACE_CONTEXT_ERROR_CODES.invalidTraceparent,
      `${name} ${quote(id)} must be ${length} lowercase hex characters and not all zero`,
    );
  }
}

/**
 * Writes a version-00 traceparent. Flags come from `sampled` and `random`; reserved bits are written as zero,
 * as the spec requires of outgoing headers (so a higher received version is downgraded to 00).
 * @throws TraceContextError `TRACE_CONTEXT_INVALID_TRACEPARENT` when an id is malformed or all zero.
 */
export function formatTraceparent(tp: Pick<TraceParent, 'traceId' | 'parentId' | 'sampled' | 'random'>): string {
  assertId('traceId', tp.traceId, 32);
  assertId('parentId', tp.parentId, 16);
  const flags = (tp.sampled ? TRACE_FLAGS.sampled : 0) | (tp.random ? TRACE_FLAGS.random : 0);
  return `00-${tp.traceId}-${tp.parentId}-0${flags}`;
}

function fromParts(traceId: string, parentId: string, sampled: boolean, random: boolean): TraceParent {
  const traceFlags = (sampled ? TRACE_FLAGS.sampled : 0) | (random ? TRACE_FLAGS.random : 0);
  return { version: 0, traceId, parentId, traceFlags, sampled, random };
}

/**
 * Continues `tp` with a new parent id: the same trace, the random flag kept as received (the spec forbids
 * setting it for a trace id we did not generate), reserved flags cleared. `sampled` may be changed here
 * because the parent id changes with it.
 */
export function childTraceparent(tp: TraceParent, options?: { sampled?: boolean }): TraceParent {
  return fromParts(tp.traceId, newSpanId(), options?.sampled ?? tp.sampled, tp.random);
}

/**
 * Starts a new trace. Ids are fully random, so at Level 2 the random-trace-id flag is set; Level 1 has no such
 * flag and its reserved bits must be zero. @default sampled false
 */
export function newTraceparent(options?: { sampled?: boolean } & TraceContextLevelOption): TraceParent {
  const random = (options?.traceContextLevel ?? DEFAULT_TRACE_CONTEXT_LEVEL) === 2;
  return fromParts(newTraceId(), newSpanId(), options?.sampled ?? false, random);
}
