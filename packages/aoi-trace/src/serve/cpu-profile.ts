// The seed's pprof hook (`?profile=5` on a Go server), done with V8's profiler through node:inspector: a
// `.cpuprofile` that Chrome DevTools, VS Code and speedscope open.

import { Session } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export const MAX_PROFILE_SECONDS = 60;

/** Why a profile request was refused, or the seconds to profile. */
export type ProfileRequest = { readonly seconds: number } | { readonly status: 400; readonly reason: string };

/** Reads `seconds` from a query string value: a whole number 1..60. @default 10 when absent */
export function parseProfileSeconds(value: string | null): ProfileRequest {
  if (value === null) return { seconds: 10 };
  const seconds = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_PROFILE_SECONDS)) {
    return { status: 400, reason: `seconds must be a whole number from 1 to ${MAX_PROFILE_SECONDS}, got "${value}".` };
  }
  return { seconds };
}

/**
 * Profiles this process's CPU for `seconds` and returns the V8 profile (nodes, startTime, endTime, samples,
 * timeDeltas). Aborting `signal` ends the profile early; what was sampled until then is still returned.
 */
export async function captureCpuProfile(seconds: number, signal?: AbortSignal): Promise<object> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    try {
      await sleep(seconds * 1000, undefined, { signal });
    } catch {
      // Aborted (server closing): keep what was sampled.
    }
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    return profile;
  } finally {
    session.disconnect();
  }
}
