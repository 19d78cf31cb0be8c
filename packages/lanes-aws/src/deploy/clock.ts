import { setTimeout as sleep } from 'node:timers/promises';

/** Time as the provider sees it; tests pass one whose `sleep` only moves `now` forward. */
export interface Clock {
  now(): number;
  /** Rejects (with an AbortError) when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await sleep(ms, undefined, signal ? { signal } : {});
  },
};
