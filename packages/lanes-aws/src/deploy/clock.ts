import { setTimeout as sleep } from 'node:timers/promises';

/** Time as the provider sees it; tests pass one whose `sleep` only moves `now` forward. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    await sleep(ms);
  },
};
