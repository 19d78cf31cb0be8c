/**
 * IP addresses as four 32-bit words of an IPv6 address; an IPv4 address is its IPv4-mapped form `::ffff:a.b.c.d`
 * (RFC 4291 §2.5.5.2), so `127.0.0.1` and `::ffff:127.0.0.1` (how a dual-stack socket reports an IPv4 peer) are
 * one address and one CIDR list covers both.
 */

const COLON = 0x3a;
const DOT = 0x2e;

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Dotted quad in `s[start, end)` as a 32-bit number, or -1. Leading zeros are refused (`010` is octal to some). */
function parseIpv4(s: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const partStart = i;
    let part = 0;
    while (i < end && i - partStart < 3) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      part = part * 10 + (c - 0x30);
      i++;
    }
    const length = i - partStart;
    if (length === 0 || part > 255 || (length > 1 && s.charCodeAt(partStart) === 0x30)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= end || s.charCodeAt(i) !== DOT) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

/** Reused 16-bit groups while parsing IPv6, so reading an address allocates nothing. */
const groups = new Uint16Array(8);

/** Parses IPv6 text (with `::` and an optional IPv4 tail) into `out`; false when it is not one. */
function parseIpv6(s: string, start: number, end: number, out: Uint32Array): boolean {
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && s.charCodeAt(i) === COLON && s.charCodeAt(i + 1) === COLON) {
    gap = 0;
    i += 2;
  } else if (s.charCodeAt(i) === COLON) return false;
  while (i < end) {
    if (count === 8) return false;
    const groupStart = i;
    let group = 0;
    while (i < end && i - groupStart < 4) {
      const digit = hexDigit(s.charCodeAt(i));
      if (digit < 0) break;
      group = (group << 4) | digit;
      i++;
    }
    if (i < end && s.charCodeAt(i) === DOT) {
      // An IPv4 tail takes the last two groups.
      if (count > 6) return false;
      const v4 = parseIpv4(s, groupStart, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (i === groupStart) return false;
    groups[count++] = group;
    if (i === end) break;
    if (s.charCodeAt(i) !== COLON) return false;
    i++;
    if (i < end && s.charCodeAt(i) === COLON) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) return false;
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const missing = 8 - count;
  for (let w = 0; w < 4; w++) {
    let word = 0;
    for (let half = 0; half < 2; half++) {
      const g = w * 2 + half;
      let value = 0;
      if (gap < 0 || g < gap) value = groups[g] ?? 0;
      else if (g >= gap + missing) value = groups[g - missing] ?? 0;
      word = (word << 16) | value;
    }
    out[w] = word >>> 0;
  }
  return true;
}

/**
 * Reads `s[start, end)` as an IPv4 or IPv6 address into `out` (four words). A zone (`fe80::1%eth0`) is ignored.
 * Returns 4 for IPv4, 6 for IPv6, 0 when it is neither.
 */
export function parseIpAddress(s: string, out: Uint32Array, start = 0, end = s.length): 0 | 4 | 6 {
  if (end - start > 64 || end <= start) return 0;
  const zone = s.indexOf('%', start);
  if (zone >= 0 && zone < end) end = zone;
  const v4 = parseIpv4(s, start, end);
  if (v4 >= 0) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0xffff;
    out[3] = v4;
    return 4;
  }
  return parseIpv6(s, start, end, out) ? 6 : 0;
}
