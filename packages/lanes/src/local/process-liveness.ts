import { errnoCode } from './error-text.js';
import { isDeadState, readProcStat } from './proc-stat.js';

/**
 * Whether `pid` names a running process. EPERM counts as alive (it exists, it is just not ours to signal); a zombie
 * counts as dead (it has exited and only waits for its parent to reap it, which for an orphaned replica in a
 * container without an init may never happen). Pids that would address a process group (0, negatives) are false.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  return !(stat && isDeadState(stat.state));
}
