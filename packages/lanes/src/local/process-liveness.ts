import { errnoCode } from './error-text.js';
import { isDeadState, readProcStat } from './proc-stat.js';

/**
 * Whether `pid` names a running process: the one liveness rule of the platform (locks, port reservations,
 * replicas, the platform's own pid). EPERM counts as alive (it exists, it is just not ours to signal); a zombie
 * counts as dead (it has exited and only waits for its parent to reap it, which for an orphaned replica in a
 * container without an init may never happen). With `startTime` (recorded from `procStartTime` when the pid was
 * taken), a process that runs under the same pid but started at another time is a different process that reused
 * the pid: dead. Pids that would address a process group (0, negatives) are false.
 */
export function isProcessAlive(pid: number, startTime?: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  if (!stat) return true; // no /proc (macOS), or it exited just now: the signal's answer stands
  if (isDeadState(stat.state)) return false;
  return startTime === undefined || stat.startTime === startTime;
}
