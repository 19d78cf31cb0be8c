import { setTimeout as sleep } from 'node:timers/promises';
import { LanesError } from '../errors.js';
import { isGroupAlive, sendSignal } from './process-group.js';
import { isProcessAlive } from './process-liveness.js';

export interface StopReplicaOptions {
  /** How long the replica has to finish in-flight work after SIGTERM before it is killed. @default 5000 */
  graceMs?: number;
}

export type StopResult =
  | { type: 'stopped'; how: 'term' | 'kill' | 'already-gone' }
  /** The pid exists but belongs to another user: most likely the replica is long gone and its pid was reused. */
  | { type: 'not-permitted'; pid: number; message: string };

const POLL_MS = 50;
/** After SIGKILL, how long to wait for the kernel to finish the processes, so their port is free on return. */
const KILL_SETTLE_MS = 2000;

/**
 * Stops a replica started by `startReplica`, with every process it spawned: SIGTERM to its process group, then
 * SIGKILL to the group after `graceMs`. A pid that leads no group (not started detached) is signalled alone.
 *
 * @throws LanesError `LANES_INVALID_PID` for pids that would signal more than one replica (0, 1, negatives) or this
 *   process itself: `kill(-1)` reaches every process the user owns.
 */
export async function stopReplica(pid: number, options: StopReplicaOptions = {}): Promise<StopResult> {
  if (!Number.isSafeInteger(pid) || pid <= 1 || pid === process.pid) {
    throw new LanesError('LANES_INVALID_PID', `refusing to stop pid ${pid}: it is not a replica's pid`, 'system');
  }
  const graceMs = options.graceMs ?? 5000;
  const target = sendSignal(-pid, 0) !== 'gone' ? -pid : pid;
  const alive = target < 0 ? () => isGroupAlive(pid) : () => isProcessAlive(pid);
  if (!alive()) return { type: 'stopped', how: 'already-gone' };

  const term = sendSignal(target, 'SIGTERM');
  if (term === 'gone') return { type: 'stopped', how: 'already-gone' };
  if (term === 'denied') {
    return { type: 'not-permitted', pid, message: `not permitted to signal pid ${pid}: it belongs to another user` };
  }
  if (await waitUntilDead(alive, graceMs)) return { type: 'stopped', how: 'term' };

  if (sendSignal(target, 'SIGKILL') === 'gone') return { type: 'stopped', how: 'term' };
  await waitUntilDead(alive, KILL_SETTLE_MS);
  return { type: 'stopped', how: 'kill' };
}

async function waitUntilDead(alive: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (alive()) {
    if (performance.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}
