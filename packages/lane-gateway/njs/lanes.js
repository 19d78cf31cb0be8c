// The nginx engine's lane reading, run by njs (libnginx-mod-http-js) inside nginx and by Node in the tests, which
// compare it with @lanes/trace-context's extractLane over the shared case table and random headers. It is written
// for njs 0.7 (Debian 12): no classes, no optional chaining, let and const are fine. Rules mirror extract-lane.ts,
// tracestate-grammar.ts, baggage-grammar.ts and remove-lane.ts of @lanes/trace-context.
//
// Why njs and not a `map` regex: nginx before 1.23 shows only the first field of a repeated header in
// $http_tracestate (several fields are part of the case table), and the gateway discards a whole tracestate that
// breaks the grammar or has more than 32 members, keeps the left-most of repeated keys, percent-decodes baggage and
// ignores conflicting baggage lanes: no single regex stays exact for all of it.

const MAX_INPUT = 65536;
const MAX_MEMBERS = 32;
const MAX_KEY = 256;
const MAX_TENANT = 241;
const MAX_SYSTEM = 14;
const MAX_VALUE = 256;
const MAX_BAGGAGE_BYTES = 8192;
const TOKEN_CHARS = "!#$%&'*+-.^_`|~";

function isOws(c) {
  return c === 32 || c === 9;
}
function isLcAlpha(c) {
  return c >= 97 && c <= 122;
}
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function isKeyChar(c, level) {
  // Level 1 keychar: lcalpha DIGIT _ - * / ; Level 2 adds @.
  return isLcAlpha(c) || isDigit(c) || c === 95 || c === 45 || c === 42 || c === 47 || (level === 2 && c === 64);
}
function isTokenChar(c) {
  if (isLcAlpha(c) || isDigit(c) || (c >= 65 && c <= 90)) return true;
  return c < 128 && TOKEN_CHARS.indexOf(String.fromCharCode(c)) >= 0;
}
function isBaggageOctet(c) {
  return (
    c === 0x21 ||
    (c >= 0x23 && c <= 0x2b) ||
    (c >= 0x2d && c <= 0x3a) ||
    (c >= 0x3c && c <= 0x5b) ||
    (c >= 0x5d && c <= 0x7e)
  );
}

/** True for a lane name: a lowercase DNS label of 1-63 chars. */
function isLaneName(s) {
  const n = s.length;
  if (n < 1 || n > 63) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isLcAlpha(c) || isDigit(c)) continue;
    if (c !== 45 || i === 0 || i === n - 1) return false;
  }
  return true;
}

function keyRun(s, start, from, end, level, max) {
  let i = from;
  while (i < end && isKeyChar(s.charCodeAt(i), level)) {
    if (i - start >= max) return -1;
    i++;
  }
  return i;
}

/** End of the tracestate key at `start`, or -1 (Level 2: one run; Level 1: simple key or tenant@system). */
function scanKey(s, start, end, level) {
  const first = s.charCodeAt(start);
  if (!isLcAlpha(first) && !isDigit(first)) return -1;
  const i = keyRun(s, start, start + 1, end, level, MAX_KEY);
  if (level === 2 || i < 0) return i;
  if (i >= end || s.charCodeAt(i) !== 64) return isLcAlpha(first) ? i : -1;
  if (i - start > MAX_TENANT) return -1;
  const system = i + 1;
  if (system >= end || !isLcAlpha(s.charCodeAt(system))) return -1;
  return keyRun(s, system, system + 1, end, level, MAX_SYSTEM);
}

/** The lane of a combined tracestate value, validating the whole list; undefined when there is none. */
function laneFromTraceState(s, level) {
  if (s === undefined || s.length > MAX_INPUT || s.indexOf('ctx=') < 0) return undefined;
  const n = s.length;
  const seen = {};
  let members = 0;
  let lane;
  let laneSeen = false;
  let i = 0;
  while (i < n) {
    while (i < n && isOws(s.charCodeAt(i))) i++;
    if (i >= n) break;
    if (s.charCodeAt(i) === 44) {
      i++;
      continue;
    }
    const keyStart = i;
    const keyEnd = scanKey(s, i, n, level);
    if (keyEnd < 0 || s.charCodeAt(keyEnd) !== 61) return undefined;
    i = keyEnd + 1;
    let valueEnd = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 44 || c === 9) break;
      if (c < 32 || c > 0x7e || c === 61) return undefined;
      i++;
      if (c !== 32) valueEnd = i;
      if (valueEnd - keyEnd - 1 > MAX_VALUE) return undefined;
    }
    if (valueEnd === keyEnd + 1) return undefined;
    while (i < n && isOws(s.charCodeAt(i))) i++;
    if (i < n && s.charCodeAt(i) !== 44) return undefined;
    if (members === MAX_MEMBERS) return undefined;
    members++;
    i++;
    const key = s.slice(keyStart, keyEnd);
    if (seen[key] === true) {
      if (level === 1) return undefined;
      continue;
    }
    seen[key] = true;
    if (key === 'ctx' && !laneSeen) {
      laneSeen = true;
      const value = s.slice(keyEnd + 1, valueEnd);
      lane = value.indexOf('lane:') === 0 && isLaneName(value.slice(5)) ? value.slice(5) : undefined;
    }
  }
  return lane;
}

function skipOws(s, i, end) {
  while (i < end && isOws(s.charCodeAt(i))) i++;
  return i;
}
function skipToken(s, i, end) {
  while (i < end && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}
function skipOctets(s, i, end) {
  while (i < end && isBaggageOctet(s.charCodeAt(i))) i++;
  return i;
}
function propertiesValid(s, i, end) {
  while (i < end) {
    if (s.charCodeAt(i) !== 59) return false;
    i = skipOws(s, i + 1, end);
    const keyEnd = skipToken(s, i, end);
    if (keyEnd === i) return false;
    i = skipOws(s, keyEnd, end);
    if (i < end && s.charCodeAt(i) === 61) i = skipOws(s, skipOctets(s, skipOws(s, i + 1, end), end), end);
  }
  return true;
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Percent-decodes a baggage value as far as a lane can tell: an escape of a non-ASCII octet can only make a value
 * that is no lane name, so it becomes U+FFFD; two such values compare alike here but both fail as lanes anyway.
 */
function decodeLane(text) {
  if (text.indexOf('%') < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const hi = c === 37 && i + 2 < text.length ? hexValue(text.charCodeAt(i + 1)) : -1;
    const lo = hi >= 0 ? hexValue(text.charCodeAt(i + 2)) : -1;
    if (hi >= 0 && lo >= 0) {
      const octet = (hi << 4) | lo;
      out += octet < 0x80 ? String.fromCharCode(octet) : '\ufffd';
      i += 2;
    } else out += text.charAt(i);
  }
  return out;
}

/** The lane of a combined baggage value; repeated `lane` members that disagree yield none. */
function laneFromBaggage(s) {
  if (s === undefined || s.length > MAX_INPUT || s.indexOf('lane') < 0) return undefined;
  const n = s.length;
  let used = 0;
  let found;
  let position = 0;
  while (position <= n) {
    let comma = s.indexOf(',', position);
    if (comma < 0) comma = n;
    const start = skipOws(s, position, comma);
    let end = comma;
    while (end > start && isOws(s.charCodeAt(end - 1))) end--;
    position = comma + 1;
    if (start === end) continue;
    const keyEnd = skipToken(s, start, end);
    if (keyEnd === start) continue;
    const i = skipOws(s, keyEnd, end);
    if (i >= end || s.charCodeAt(i) !== 61) continue;
    const valueStart = skipOws(s, i + 1, end);
    const valueEnd = skipOctets(s, valueStart, end);
    if (!propertiesValid(s, skipOws(s, valueEnd, end), end)) continue;
    const bytes = end - start + (used > 0 ? 1 : 0);
    if (used + bytes > MAX_BAGGAGE_BYTES) break;
    used += bytes;
    if (s.slice(start, keyEnd) !== 'lane') continue;
    const lane = decodeLane(s.slice(valueStart, valueEnd));
    if (found !== undefined && found !== lane) return undefined;
    found = lane;
  }
  return found !== undefined && isLaneName(found) ? found : undefined;
}

/**
 * The lane of a request: the first carrier (in `carriers` order) that yields one. `headers` holds combined
 * values (several fields joined with ","), absent ones undefined.
 */
function laneOf(headers, carriers, level) {
  for (let k = 0; k < carriers.length; k++) {
    const lane =
      carriers[k] === 'tracestate' ? laneFromTraceState(headers.tracestate, level) : laneFromBaggage(headers.baggage);
    if (lane !== undefined) return lane;
  }
  return undefined;
}

function memberHasKey(s, start, end, key) {
  start = skipOws(s, start, end);
  if (end - start <= key.length || s.slice(start, start + key.length) !== key) return false;
  const i = skipOws(s, start + key.length, end);
  return i < end && s.charCodeAt(i) === 61;
}

/** The list without its `key` members (remove-lane.ts): what an untrusted client's tag leaves behind. */
function removeMember(value, key) {
  if (value.indexOf(key) < 0) return value;
  const kept = [];
  let removed = false;
  const parts = value.split(',');
  for (let i = 0; i < parts.length; i++) {
    if (memberHasKey(parts[i], 0, parts[i].length, key)) removed = true;
    else kept.push(parts[i]);
  }
  return removed ? kept.join(',') : value;
}

/**
 * One request header, several fields joined with "," (RFC 9110 section 5.3): njs's headersIn joins repeated fields
 * of headers nginx does not know itself, without the array of every header that rawHeadersIn builds.
 */
function combined(r, name) {
  return r.headersIn[name];
}

function settings(r) {
  const v = r.variables;
  return {
    carriers: v.lanes_carriers.split(' '),
    level: v.lanes_tc_level === '1' ? 1 : 2,
    open: ` ${v.lanes_open_lanes} `,
  };
}

/**
 * js_set $lanes_tag: the lane the request asks for, or '' (none, or an untrusted client asking for a lane that
 * is not open: its tag is ignored here and stripped from the forwarded carriers by lanesTracestate/lanesBaggage).
 */
function tag(r) {
  const s = settings(r);
  const lane = laneOf({ tracestate: combined(r, 'tracestate'), baggage: combined(r, 'baggage') }, s.carriers, s.level);
  if (lane === undefined) return '';
  if (r.variables.lanes_trusted !== '1' && s.open.indexOf(` ${lane} `) < 0) return '';
  return lane;
}

/** The forwarded value of one carrier: lane stripped for untrusted tags, the chosen lane written by a split. */
function forwarded(r, carrier) {
  let value = combined(r, carrier);
  const s = settings(r);
  const asked = laneOf({ tracestate: combined(r, 'tracestate'), baggage: combined(r, 'baggage') }, s.carriers, s.level);
  const key = carrier === 'tracestate' ? 'ctx' : 'lane';
  if (value !== undefined && asked !== undefined && r.variables.lanes_tag === '') value = removeMember(value, key);
  const chosen = r.variables.lanes_inject;
  if (chosen !== '' && carrier === s.carriers[0]) {
    const member = carrier === 'tracestate' ? `ctx=lane:${chosen}` : `lane=${chosen}`;
    let rest = value === undefined ? '' : removeMember(value, key);
    if (carrier === 'tracestate' && rest !== '' && laneFromTraceStateValid(rest, s.level) === false) rest = '';
    value = rest.trim() === '' ? member : `${member},${rest}`;
  }
  return value === undefined ? '' : value;
}

/** Whether a tracestate passes the grammar (a discarded one is not carried over next to an injected lane). */
function laneFromTraceStateValid(s, level) {
  // The scan needs a ctx member to run; give it one that cannot collide with the list's own keys.
  return laneFromTraceState(`ctx=lane:x,${s}`, level) === 'x';
}

function lanesTracestate(r) {
  return forwarded(r, 'tracestate');
}
function lanesBaggage(r) {
  return forwarded(r, 'baggage');
}

export default { tag, lanesTracestate, lanesBaggage, laneOf, removeMember, isLaneName };
