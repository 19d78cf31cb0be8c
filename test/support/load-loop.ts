/** One client's request: resolves with what to keep, or rejects (a lost request, kept as a failure). */
export type SendOnce<T> = (client: number) => Promise<T>;

export interface LoadLoop<T> {
  /** Every answer so far, in arrival order. */
  readonly answers: readonly T[];
  /** Every failure so far (`String(error)`). */
  readonly failures: readonly string[];
  /** Resolves once `count` more answers than now have arrived: tests wait for traffic, not for time. */
  waitForAnswers(count: number, timeoutMs?: number): Promise<void>;
  /** Stops every client and resolves when the last request has ended. */
  stop(): Promise<void>;
}

/** `clients` concurrent clients each sending `send` in a loop until stopped. */
export function startLoadLoop<T>(clients: number, send: SendOnce<T>): LoadLoop<T> {
  let running = true;
  const answers: T[] = [];
  const failures: string[] = [];
  const waiters: { until: number; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of waiters.filter((w) => answers.length >= w.until)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const loops = Array.from({ length: clients }, async (_, client) => {
    while (running) {
      try {
        answers.push(await send(client));
        settle();
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  return {
    answers,
    failures,
    waitForAnswers: (count, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`${count} more answers did not arrive in ${timeoutMs} ms (${failures.length} failures)`));
        }, timeoutMs);
        const waiter = {
          until: answers.length + count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
        settle();
      }),
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
