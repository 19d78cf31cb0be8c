import { loadOrCreateTokenKey, signLaneToken, TokenKeyError } from '@lanes/gateway';
import { isValidLaneName } from '@lanes/trace-context';
import { admissionSettings } from '../config/read-admission.js';
import { LanesError } from '../errors.js';
import type { Project } from '../model.js';

/** A signed lane token and what it allows. */
export interface IssuedLaneToken {
  token: string;
  lane: string;
  /** Milliseconds since the epoch (whole seconds). */
  expiresAt: number;
  keyFile: string;
}

/**
 * Signs a token that lets a client outside the trusted networks into `lane` for `ttlMs`, with the key in the
 * state folder (created with mode 0600 on first use). Refuses a lifetime above `admission.tokens.maxTtl`: a token
 * cannot be revoked short of replacing the key, so long-lived ones are a decision for the project file.
 */
export function issueLaneToken(
  project: Pick<Project, 'admission' | 'stateDir'>,
  lane: string,
  ttlMs: number,
  now = Date.now(),
): IssuedLaneToken {
  if (!isValidLaneName(lane)) {
    throw new LanesError('LANES_LANE_INVALID', `"${lane}" is not a lane name (1-63 of a-z 0-9 and "-")`, 'user');
  }
  const { tokens } = admissionSettings(project);
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1000) {
    throw new LanesError('LANES_TOKEN_TTL_INVALID', 'a token must live at least 1s', 'user');
  }
  if (ttlMs > tokens.maxTtlMs) {
    throw new LanesError(
      'LANES_TOKEN_TTL_TOO_LONG',
      `a token may live at most ${tokens.maxTtlMs / 1000}s (admission.tokens.maxTtl in lanes.json); asked for ${ttlMs / 1000}s`,
      'user',
    );
  }
  let key: Uint8Array;
  try {
    key = loadOrCreateTokenKey(tokens.keyFile);
  } catch (error) {
    if (error instanceof TokenKeyError) throw new LanesError('LANES_TOKEN_KEY_UNUSABLE', error.message, 'user');
    throw error;
  }
  const expiresAt = Math.floor((now + ttlMs) / 1000) * 1000;
  return { token: signLaneToken(key, lane, expiresAt), lane, expiresAt, keyFile: tokens.keyFile };
}
