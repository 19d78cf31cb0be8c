import { EQUALS, isOws, SEMICOLON } from './chars.js';
import { LANE_BAGGAGE_KEY, LANE_TRACESTATE_KEY, type LaneCarrier } from './lane-carriers.js';

/** True when the list member in `s[start, end)` has the key `key` (OWS around key and `=` allowed, as both specs do). */
function memberHasKey(s: string, start: number, end: number, key: string): boolean {
  while (start < end && isOws(s.charCodeAt(start))) start++;
  if (end - start <= key.length || !s.startsWith(key, start)) return false;
  let i = start + key.length;
  while (i < end && isOws(s.charCodeAt(i))) i++;
  return i < end && s.charCodeAt(i) === EQUALS;
}

/** Calls `visit` with the bounds of each comma-separated member, in order, until it returns true. */
function eachMember(value: string, visit: (start: number, end: number) => boolean): void {
  let start = 0;
  const n = value.length;
  while (start <= n) {
    let end = value.indexOf(',', start);
    if (end < 0) end = n;
    if (visit(start, end)) return;
    start = end + 1;
  }
}

/**
 * Removes every list member whose key is `key` from a comma-separated header value, keeping every other member
 * byte for byte (its own whitespace included) and joining the kept ones with the commas that separated them.
 * Returns `value` itself when nothing matched, so a caller can tell by identity; `''` when nothing is left.
 * Works on the text without validating it, so a lane hidden in a header the parser would discard is removed too.
 */
export function removeListMember(value: string, key: string): string {
  if (!value.includes(key)) return value;
  let out: string | undefined;
  let keptAny = false;
  eachMember(value, (start, end) => {
    if (memberHasKey(value, start, end, key)) {
      if (out === undefined) {
        // Everything before the first removed member is kept as it was, separators included.
        keptAny = start > 0;
        out = keptAny ? value.slice(0, start - 1) : '';
      }
    } else if (out !== undefined) {
      out = keptAny ? `${out},${value.slice(start, end)}` : value.slice(start, end);
      keptAny = true;
    }
    return false;
  });
  return out ?? value;
}

/** Removes the lane member of one carrier (`ctx` of tracestate, `lane` of baggage); see {@link removeListMember}. */
export function removeLane(carrier: LaneCarrier, value: string): string {
  return removeListMember(value, carrier === 'tracestate' ? LANE_TRACESTATE_KEY : LANE_BAGGAGE_KEY);
}

/**
 * The raw (still percent-encoded) value of the first baggage member named `key`, trimmed, properties cut off; or
 * `undefined`. Like {@link removeListMember} it reads the text without validating the whole header.
 */
export function rawBaggageValue(value: string, key: string): string | undefined {
  if (!value.includes(key)) return undefined;
  let found: string | undefined;
  eachMember(value, (start, end) => {
    if (!memberHasKey(value, start, end, key)) return false;
    let i = value.indexOf('=', start) + 1;
    let stop = i;
    while (stop < end && value.charCodeAt(stop) !== SEMICOLON) stop++;
    while (i < stop && isOws(value.charCodeAt(i))) i++;
    while (stop > i && isOws(value.charCodeAt(stop - 1))) stop--;
    found = value.slice(i, stop);
    return true;
  });
  return found;
}
