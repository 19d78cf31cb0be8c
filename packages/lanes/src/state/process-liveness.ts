import { isProcessAlive } from '../local/process-liveness.js';

export { isProcessAlive };

/**
 * Whether a lock or port holder may still be running. A pid from another machine (a state folder on a shared
 * drive) cannot be checked from here, so it counts as alive: never steal what might still be in use. `startTime`
 * (null for rows written before it was recorded) tells a reused pid from the holder.
 */
export function isHolderAlive(
  pid: number,
  hostname: string,
  localHostname: string,
  startTime?: number | null,
): boolean {
  return hostname !== localHostname || isProcessAlive(pid, startTime ?? undefined);
}
