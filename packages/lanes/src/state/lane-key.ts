import { LanesError } from '../errors.js';

/** Names a lane; the unit of locking. Written `{env}/{service}/{lane}`. */
export interface LaneKey {
  env: string;
  service: string;
  lane: string;
}

/** `env/service/lane`, as messages and logs show a lane. */
export function laneKeyString(key: LaneKey): string {
  return `${key.env}/${key.service}/${key.lane}`;
}

/** The key of `env/service/lane` (as journals and messages write it). Throws on any other shape: a bug. */
export function parseLaneKey(text: string): LaneKey {
  const parts = text.split('/');
  if (parts.length !== 3 || parts.some((part) => part === '')) {
    throw new LanesError(
      'LANES_STATE_INVALID_INPUT',
      `not a lane key (env/service/lane): ${JSON.stringify(text)}`,
      'system',
    );
  }
  const [env, service, lane] = parts as [string, string, string];
  return { env, service, lane };
}

/** Just the key fields: records extend `LaneKey`, and callers may pass a whole record as a key. */
export function laneKeyOf(key: LaneKey): LaneKey {
  return { env: key.env, service: key.service, lane: key.lane };
}

/** Sorted and without duplicates, so that locks are always taken and reported in the same order. */
export function uniqueLaneKeys(keys: readonly LaneKey[]): LaneKey[] {
  const byString = new Map<string, LaneKey>();
  for (const key of keys) byString.set(laneKeyString(key), laneKeyOf(key));
  return [...byString.values()].sort(compareLaneKeys);
}

function compareLaneKeys(a: LaneKey, b: LaneKey): number {
  return compare(a.env, b.env) || compare(a.service, b.service) || compare(a.lane, b.lane);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
