/** Character classes of the two specs as one lookup table over ASCII, so scanners test a char with one load. */

const TRACESTATE_KEY_CHAR = 1; // lcalpha / DIGIT / "_" / "-" / "*" / "/"
const TOKEN_CHAR = 2; // RFC 7230 tchar
const BAGGAGE_OCTET = 4; // %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
const LOWER_HEX = 8; // DIGIT / "a"-"f"
const TRACESTATE_KEY_CHAR_L2 = 16; // Level 2 keychar: lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"

const table = new Uint8Array(128);

function mark(flag: number, from: number, to = from): void {
  for (let c = from; c <= to; c++) table[c] = (table[c] ?? 0) | flag;
}

mark(TRACESTATE_KEY_CHAR, 0x61, 0x7a);
mark(TRACESTATE_KEY_CHAR, 0x30, 0x39);
for (const c of '_-*/') mark(TRACESTATE_KEY_CHAR, c.charCodeAt(0));
mark(TRACESTATE_KEY_CHAR_L2, 0x61, 0x7a);
mark(TRACESTATE_KEY_CHAR_L2, 0x30, 0x39);
for (const c of '_-*/@') mark(TRACESTATE_KEY_CHAR_L2, c.charCodeAt(0));

mark(TOKEN_CHAR, 0x61, 0x7a);
mark(TOKEN_CHAR, 0x41, 0x5a);
mark(TOKEN_CHAR, 0x30, 0x39);
for (const c of "!#$%&'*+-.^_`|~") mark(TOKEN_CHAR, c.charCodeAt(0));

mark(BAGGAGE_OCTET, 0x21);
mark(BAGGAGE_OCTET, 0x23, 0x2b);
mark(BAGGAGE_OCTET, 0x2d, 0x3a);
mark(BAGGAGE_OCTET, 0x3c, 0x5b);
mark(BAGGAGE_OCTET, 0x5d, 0x7e);

mark(LOWER_HEX, 0x30, 0x39);
mark(LOWER_HEX, 0x61, 0x66);

function has(c: number, flag: number): boolean {
  return c < 128 && ((table[c] ?? 0) & flag) !== 0;
}

export const SPACE = 0x20;
export const TAB = 0x09;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const SEMICOLON = 0x3b;
export const AT = 0x40;
export const DASH = 0x2d;

/** RFC 7230 OWS: space or horizontal tab. */
export const isOws = (c: number): boolean => c === SPACE || c === TAB;
export const isLcAlpha = (c: number): boolean => c >= 0x61 && c <= 0x7a;
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
export const isTraceStateKeyChar = (c: number): boolean => has(c, TRACESTATE_KEY_CHAR);
export const isTraceStateKeyCharL2 = (c: number): boolean => has(c, TRACESTATE_KEY_CHAR_L2);
export const isTokenChar = (c: number): boolean => has(c, TOKEN_CHAR);
export const isBaggageOctet = (c: number): boolean => has(c, BAGGAGE_OCTET);
export const isLowerHex = (c: number): boolean => has(c, LOWER_HEX);
