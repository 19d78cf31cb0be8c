/**
 * Runs `work` with a signal that the first Ctrl-C aborts; a second Ctrl-C stops the process as usual. With
 * `enabled` false the process keeps Node's own Ctrl-C (it ends at once), for operations that take no signal.
 */
export async function withInterrupt<T>(enabled: boolean, work: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}
