import { isBaggageOctet } from './chars.js';

const PERCENT = 0x25;
const HEX_UPPER = '0123456789ABCDEF';
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * The octets of a percent-encoded value: `%XX` (either case) become one octet, other chars their UTF-8. A `%` not
 * followed by two hex digits is kept literally, or, when `strict`, makes the whole value `undefined`.
 */
function toOctets(text: string, strict: boolean): Uint8Array | undefined {
  // A non-ASCII char takes at most 3 UTF-8 bytes per UTF-16 unit.
  const bytes = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT) {
      const hi = i + 2 < text.length ? hexValue(text.charCodeAt(i + 1)) : -1;
      const lo = i + 2 < text.length ? hexValue(text.charCodeAt(i + 2)) : -1;
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
      if (strict) return undefined;
    }
    if (c < 0x80) {
      bytes[n++] = c;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const units = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    n += utf8Encoder.encodeInto(text.slice(i, i + units), bytes.subarray(n)).written;
    i += units - 1;
  }
  return bytes.subarray(0, n);
}

/**
 * Decodes a baggage value: `%XX` (either case) become octets, read as UTF-8; octets that are not valid UTF-8
 * become U+FFFD as the spec requires. A `%` not followed by two hex digits is kept literally.
 */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  return utf8Decoder.decode(toOctets(text, false));
}

/**
 * Encodes a string for a baggage value: UTF-8 octets outside baggage-octet, and `%` itself (so decoding is
 * unambiguous), become `%XX`. Everything else is left readable.
 */
export function percentEncode(text: string): string {
  let safe = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT || !isBaggageOctet(c)) {
      safe = false;
      break;
    }
  }
  if (safe) return text;
  let out = '';
  for (const byte of utf8Encoder.encode(text)) {
    if (byte !== PERCENT && isBaggageOctet(byte)) out += String.fromCharCode(byte);
    else out += `%${HEX_UPPER[byte >> 4]}${HEX_UPPER[byte & 0xf]}`;
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * True when every `%` in `text` starts a `%XX` escape and the decoded octets are valid UTF-8. A lane read from a
 * value that fails this is no lane: `percentDecode` would keep a stray `%` or make U+FFFD, and a filter upstream
 * could disagree with the gateway about what such a value means. Values are UTF-8, percent-encoded
 * (https://www.w3.org/TR/baggage/#value).
 */
export function isWellFormedPercentEncoding(text: string): boolean {
  if (!text.includes('%')) return true;
  const octets = toOctets(text, true);
  if (octets === undefined) return false;
  try {
    strictUtf8.decode(octets);
    return true;
  } catch {
    return false;
  }
}
