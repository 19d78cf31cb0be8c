import { EQUALS, isBaggageOctet, isOws, isTokenChar, SEMICOLON } from './chars.js';

/**
 * The spec makes platforms propagate a baggage-string of at least 8192 bytes (and at least 64 members). We keep
 * any number of members within 8192 bytes; members that would go past it are dropped whole from the right end.
 */
export const BAGGAGE_MAX_BYTES = 8192;

/** Where the last member accepted by {@link nextBaggageMember} sits; reused so scanning allocates nothing. */
export const member = {
  keyStart: 0,
  keyEnd: 0,
  valueStart: 0,
  valueEnd: 0,
  /** Index of the first `;` after the value, or the member end when it has no properties. */
  propertiesStart: 0,
  end: 0,
};

/** Iteration state over one combined baggage value. */
export interface BaggageCursor {
  /** Next index to read. */
  position: number;
  /** Bytes the accepted members take, commas included. */
  used: number;
}

function skipOws(s: string, i: number, end: number): number {
  while (i < end && isOws(s.charCodeAt(i))) i++;
  return i;
}

function skipToken(s: string, i: number, end: number): number {
  while (i < end && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}

function skipOctets(s: string, i: number, end: number): number {
  while (i < end && isBaggageOctet(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Checks `OWS ";" OWS property` repeated up to `end`, where property = key OWS "=" OWS value / key OWS.
 * Returns false on any deviation, such as an empty property or a space inside a value.
 */
function propertiesValid(s: string, i: number, end: number): boolean {
  while (i < end) {
    if (s.charCodeAt(i) !== SEMICOLON) return false;
    i = skipOws(s, i + 1, end);
    const keyEnd = skipToken(s, i, end);
    if (keyEnd === i) return false;
    i = skipOws(s, keyEnd, end);
    if (i < end && s.charCodeAt(i) === EQUALS) {
      i = skipOws(s, skipOctets(s, skipOws(s, i + 1, end), end), end);
    }
  }
  return true;
}

/**
 * Validates one trimmed list-member `[start, end)`: key OWS "=" OWS value *( OWS ";" OWS property ), and records
 * its parts in {@link member}.
 */
function memberValid(s: string, start: number, end: number): boolean {
  const keyEnd = skipToken(s, start, end);
  if (keyEnd === start) return false;
  let i = skipOws(s, keyEnd, end);
  if (i >= end || s.charCodeAt(i) !== EQUALS) return false;
  const valueStart = skipOws(s, i + 1, end);
  const valueEnd = skipOctets(s, valueStart, end);
  i = skipOws(s, valueEnd, end);
  if (!propertiesValid(s, i, end)) return false;
  member.keyStart = start;
  member.keyEnd = keyEnd;
  member.valueStart = valueStart;
  member.valueEnd = valueEnd;
  member.propertiesStart = i;
  member.end = end;
  return true;
}

/**
 * Advances to the next valid list-member and records it in {@link member}. Empty and invalid members are
 * skipped (the spec lets a platform drop an invalid entry and keep the rest). Returns false at the end, or once
 * the next valid member would take the list past {@link BAGGAGE_MAX_BYTES}.
 */
export function nextBaggageMember(s: string, cursor: BaggageCursor, maxBytes = BAGGAGE_MAX_BYTES): boolean {
  const n = s.length;
  while (cursor.position <= n) {
    let comma = s.indexOf(',', cursor.position);
    if (comma < 0) comma = n;
    const start = skipOws(s, cursor.position, comma);
    let end = comma;
    while (end > start && isOws(s.charCodeAt(end - 1))) end--;
    cursor.position = comma + 1;
    if (start === end || !memberValid(s, start, end)) continue;
    const bytes = end - start + (cursor.used > 0 ? 1 : 0);
    if (cursor.used + bytes > maxBytes) {
      cursor.position = n + 1;
      return false;
    }
    cursor.used += bytes;
    return true;
  }
  return false;
}
