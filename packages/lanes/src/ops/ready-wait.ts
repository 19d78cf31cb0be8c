import { setTimeout as sleep } from 'node:timers/promises';

/** How long `lanes up` waits for the gateway to route to every replica before it says ready anyway. */
export const READY_WAIT_MS = 5_000;

/**
 * Waits until `unhealthyCount` says the gateway holds no replica unhealthy, at most `waitMs`. `lanes up` says ready
 * only then: the platform checked each replica before adding it, but on a busy machine the gateway's own first check
 * can time out, and one failure takes a replica that was never checked out of rotation until a later pass: a tagged
 * request right after "ready" would fall back to default. Returns how many were still unhealthy (0: all in rotation).
 */
export async function waitUntilGatewayRoutesAll(
  unhealthyCount: () => Promise<number>,
  options: { waitMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const deadline = Date.now() + (options.waitMs ?? READY_WAIT_MS);
  for (;;) {
    const unhealthy = await unhealthyCount();
    if (unhealthy === 0 || Date.now() >= deadline || options.signal?.aborted) return unhealthy;
    await sleep(options.pollMs ?? 100);
  }
}
