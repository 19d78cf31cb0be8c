// Replica processes of this run that are still alive. The platform stops every replica when it is aborted; this
// is the check that it did, and the last resort when it could not (an operation still held a lane, a crash).
// Replicas are found by the project folder in their command line (see project.js), never by a broad name.
import { spawnSync } from 'node:child_process';

/**
 * @param {string} marker the project folder
 * @returns {number[]} pids of live processes whose command line contains it
 */
export function findLeftovers(marker) {
  const pattern = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  if (found.error) throw new Error(`pgrep failed: ${found.error.message}`);
  return found.stdout
    .split('\n')
    .filter((line) => /^\d+$/.test(line.trim()))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/**
 * SIGKILL to each leftover's process group (replicas run detached, as group leaders), else to the pid alone.
 * Synchronous, so it also works from a process 'exit' handler.
 * @param {number[]} pids from findLeftovers
 */
export function killLeftovers(pids) {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ESRCH: already gone.
      }
    }
  }
}
