// CPU time a process has used, from /proc (Linux). On a shared machine, req/s moves with the other tenants; the
// proxy's own CPU time per request moves much less, so the variant comparison reports both.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** @type {number | undefined} */
let ticksPerSecond;

/**
 * User + system CPU seconds of a process and all its descendants (an nginx master and its workers), or null when
 * /proc cannot tell. A descendant that exited during the measurement is not counted: measure without reloads.
 * @param {number | undefined} pid
 * @returns {number | null}
 */
export function processTreeCpuSeconds(pid) {
  const own = processCpuSeconds(pid);
  if (own === null || pid === undefined) return null;
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return own;
  }
  return children.reduce((sum, child) => sum + (processTreeCpuSeconds(Number(child)) ?? 0), own);
}

/**
 * User + system CPU seconds of one process so far, or null when /proc cannot tell (not Linux, process gone).
 * @param {number | undefined} pid
 * @returns {number | null}
 */
export function processCpuSeconds(pid) {
  if (pid === undefined) return null;
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name (proc(5)).
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}
