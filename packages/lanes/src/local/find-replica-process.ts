import { readdirSync, readFileSync } from 'node:fs';

/** The environment markers every replica carries, so a replica whose pid never reached the database can be found. */
export function replicaMarkers(stateDir: string, replicaId: number): Record<string, string> {
  return { LANES_STATE_DIR: stateDir, LANES_REPLICA_ID: String(replicaId) };
}

/**
 * Finds the process of a replica by its environment markers (Linux /proc). Needed when a CLI died between starting
 * a replica and recording its pid: without this the process would run on, untracked. Undefined when none is found
 * or /proc is not there.
 */
export function findReplicaProcess(stateDir: string, replicaId: number): number | undefined {
  return listReplicaProcesses(stateDir).find((found) => found.replicaId === replicaId)?.pid;
}

/** A running process that carries a replica's markers (the replica itself, or a process it spawned). */
export interface ReplicaProcess {
  pid: number;
  replicaId: number;
}

/**
 * Every process started as a replica of the state folder `stateDir` (by its environment markers, Linux /proc),
 * lowest pid first; empty where there is no /proc. What finds replicas nobody tracks any more.
 */
export function listReplicaProcesses(stateDir: string): ReplicaProcess[] {
  const dirMarker = `LANES_STATE_DIR=${stateDir}`;
  const idPrefix = 'LANES_REPLICA_ID=';
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: ReplicaProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    const vars = environ.split('\0');
    if (!vars.includes(dirMarker)) continue;
    const replicaId = Number(vars.find((v) => v.startsWith(idPrefix))?.slice(idPrefix.length));
    if (Number.isSafeInteger(replicaId) && replicaId > 0) found.push({ pid: Number(entry), replicaId });
  }
  return found.sort((a, b) => a.pid - b.pid);
}
