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
  const wanted = Object.entries(replicaMarkers(stateDir, replicaId)).map(([k, v]) => `${k}=${v}`);
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    const vars = environ.split('\0');
    if (wanted.every((marker) => vars.includes(marker))) return Number(entry);
  }
  return undefined;
}
