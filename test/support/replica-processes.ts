import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes started as replicas of the state folder `stateDir`, by the markers every replica carries in its
 * environment (Linux /proc); zombies left out. Read here independently of the platform's own lookup, so a test of
 * "no orphan process" does not trust the code it tests.
 */
export function replicaProcesses(stateDir: string): { pid: number; replicaId: number }[] {
  const found: { pid: number; replicaId: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const vars = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (!vars.includes(`LANES_STATE_DIR=${stateDir}`)) continue;
      if (/\) [ZX] /.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      const id = vars.find((v) => v.startsWith('LANES_REPLICA_ID='))?.split('=')[1];
      found.push({ pid: Number(entry), replicaId: Number(id) });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Kills every replica process of `stateDir`: a test's cleanup, also after a failed assertion. */
export function killReplicaProcesses(stateDir: string): void {
  for (const { pid } of replicaProcesses(stateDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
