import { setTimeout as sleep } from 'node:timers/promises';

/** How long `lanes up` waits for the gateway to route to every replica before it says ready anyway. */
export const READY_WAIT_MS = 5_000;

/** Replicas the gateway does not route to on a passed check: held unhealthy, or not judged yet. */
export interface Unrouted {
  unhealthy: number;
  unchecked: number;
}

/**
 * Waits until `unrouted` says the gateway has judged every replica healthy, at most `waitMs`. `lanes up` says ready
 * only then: the platform checked each replica before adding it, but on a busy machine the gateway's own first check
 * can time out, and one failure takes a replica that was never checked out of rotation until a later pass: a tagged
 * request right after "ready" would fall back to default. A replica whose first check is still in flight (unchecked)
 * is waited for too, since that check may be the one that times out. Returns the last counts (all 0: every replica
 * in rotation).
 */
export async function waitUntilGatewayRoutesAll(
  unrouted: () => Promise<Unrouted>,
  options: { waitMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<Unrouted> {
  const deadline = Date.now() + (options.waitMs ?? READY_WAIT_MS);
  for (;;) {
    const left = await unrouted();
    const done = left.unhealthy === 0 && left.unchecked === 0;
    if (done || Date.now() >= deadline || options.signal?.aborted) return left;
    await sleep(options.pollMs ?? 100);
  }
}
