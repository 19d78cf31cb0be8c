import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkLaneToken, MAX_LANE_TOKEN_LENGTH, signLaneToken } from './lane-token.js';

const key = randomBytes(32);
const now = Date.UTC(2026, 11, 6, 12, 0, 0);
const hour = 3_600_000;

describe('lane tokens', () => {
  it('verifies a token for its lane until it expires', () => {
    const token = signLaneToken(key, 'gray', now + hour);
    expect(token).toMatch(/^v1\.gray\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(checkLaneToken(key, token, 'gray', now)).toEqual({ type: 'valid', lane: 'gray', expiresAt: now + hour });
    expect(checkLaneToken(key, token, 'gray', now + hour).type).toBe('expired');
    expect(checkLaneToken(key, token, 'gray', now + 2 * hour).type).toBe('expired');
  });

  it('refuses a token for another lane', () => {
    const token = signLaneToken(key, 'gray', now + hour);
    expect(checkLaneToken(key, token, 'blue', now)).toEqual({ type: 'wrong-lane', lane: 'gray' });
  });

  it('refuses a forged token: other key, edited lane or expiry, edited signature', () => {
    const token = signLaneToken(key, 'gray', now + hour);
    expect(checkLaneToken(randomBytes(32), token, 'gray', now).type).toBe('forged');
    expect(checkLaneToken(key, token.replace('v1.gray.', 'v1.blue.'), 'blue', now).type).toBe('forged');
    const [version, lane, expiry, signature] = token.split('.');
    expect(checkLaneToken(key, `${version}.${lane}.${Number(expiry) + 3600}.${signature}`, 'gray', now).type).toBe(
      'forged',
    );
    // Every bit of the first character is signature (the last one also holds 2 unused bits).
    const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(checkLaneToken(key, `${version}.${lane}.${expiry}.${flipped}`, 'gray', now).type).toBe('forged');
  });

  it('accepts only the canonical spelling of a signature (its last character has 2 unused bits)', () => {
    // A canonical last character has its 2 unused bits at 0; setting one spells the same bytes differently.
    const token = signLaneToken(key, 'gray', now + hour);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.slice(-1));
    const sibling = alphabet[last ^ 1]!; // same 4 data bits, another unused bit
    const variant = `${token.slice(0, -1)}${sibling}`;
    expect(Buffer.from(variant.split('.')[3]!, 'base64url')).toEqual(Buffer.from(token.split('.')[3]!, 'base64url'));
    expect(checkLaneToken(key, token, 'gray', now).type).toBe('valid');
    expect(checkLaneToken(key, variant, 'gray', now).type).toBe('malformed');
  });

  it.each([
    ['empty', ''],
    ['no dots', 'gray'],
    ['other version', 'v2.gray.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['bad lane', 'v1.GRAY.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['bad expiry', 'v1.gray.x1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['short signature', 'v1.gray.1.AAAA'],
    ['signature not base64url', 'v1.gray.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+'],
    ['extra part', 'v1.gray.1.2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['too long', `v1.gray.1.${'A'.repeat(MAX_LANE_TOKEN_LENGTH)}`],
  ])('calls a %s token malformed', (_name, token) => {
    expect(checkLaneToken(key, token, 'gray', now).type).toBe('malformed');
  });

  it('refuses to sign for something that is not a lane name', () => {
    expect(() => signLaneToken(key, 'Gray.x', now + hour)).toThrow('not a lane name');
  });
});
