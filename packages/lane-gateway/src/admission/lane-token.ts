import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidLaneName } from '@lanes/trace-context';

/**
 * A signed lane token: `v1.<lane>.<expiry>.<signature>`, expiry in Unix seconds, signature the base64url
 * HMAC-SHA-256 of `v1.<lane>.<expiry>`. Every character is a baggage-octet and a header token char, so it travels
 * as a baggage member or a header unchanged. Lane names never contain `.` (they are DNS labels).
 */
const VERSION = 'v1';
/** 63-char lane, 10-digit expiry, 43-char signature and separators fit well inside this; longer is refused unread. */
export const MAX_LANE_TOKEN_LENGTH = 160;
const SIGNATURE_BYTES = 32;
const SIGNATURE_LENGTH = 43;

/** What checking a token found; anything but `valid` strips the lane with the matching reason. */
export type TokenCheck =
  | { type: 'valid'; lane: string; expiresAt: number }
  | { type: 'malformed' }
  | { type: 'forged' }
  | { type: 'expired'; lane: string; expiresAt: number }
  | { type: 'wrong-lane'; lane: string };

function sign(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** A token for `lane`, valid until `expiresAt` (ms since the epoch, rounded down to a second). */
export function signLaneToken(key: Uint8Array, lane: string, expiresAt: number): string {
  if (!isValidLaneName(lane)) throw new Error(`"${lane}" is not a lane name`);
  const payload = `${VERSION}.${lane}.${Math.floor(expiresAt / 1000)}`;
  return `${payload}.${sign(key, payload).toString('base64url')}`;
}

/**
 * Checks a token against the lane a request asks for. The signature is compared in constant time before the
 * lane or expiry is trusted, so a forged token never learns which part was wrong.
 */
export function checkLaneToken(key: Uint8Array, token: string, lane: string, now: number): TokenCheck {
  if (token.length > MAX_LANE_TOKEN_LENGTH) return { type: 'malformed' };
  const last = token.lastIndexOf('.');
  const payload = token.slice(0, last);
  const parts = payload.split('.');
  if (last < 0 || parts.length !== 3 || parts[0] !== VERSION) return { type: 'malformed' };
  const [, tokenLane = '', expiry = ''] = parts;
  if (!isValidLaneName(tokenLane) || !/^\d{1,12}$/.test(expiry)) return { type: 'malformed' };
  const signatureText = token.slice(last + 1);
  if (signatureText.length !== SIGNATURE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(signatureText))
    return { type: 'malformed' };
  const given = Buffer.from(signatureText, 'base64url');
  // The 43rd character carries 4 bits and 2 unused ones: only the canonical spelling is a token, so one token has
  // exactly one text (a decoder that ignores the unused bits would accept 4 spellings of each signature).
  if (given.toString('base64url') !== signatureText) return { type: 'malformed' };
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, sign(key, payload))) return { type: 'forged' };
  const expiresAt = Number(expiry) * 1000;
  if (tokenLane !== lane) return { type: 'wrong-lane', lane: tokenLane };
  if (expiresAt <= now) return { type: 'expired', lane: tokenLane, expiresAt };
  return { type: 'valid', lane: tokenLane, expiresAt };
}
