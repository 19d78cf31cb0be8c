/**
 * Whether a process exists, by sending it signal 0. EPERM means it exists but belongs to another user. A pid of
 * 0 or below would address a process group, so it is never alive.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Whether a lock or port holder may still be running. A pid from another machine (a state folder on a shared
 * drive) cannot be checked from here, so it counts as alive: never steal what might still be in use.
 */
export function isHolderAlive(pid: number, hostname: string, localHostname: string): boolean {
  return hostname !== localHostname || isProcessAlive(pid);
}
