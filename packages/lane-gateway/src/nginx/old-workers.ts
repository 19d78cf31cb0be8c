import { readdir, readFile, readlink } from 'node:fs/promises';

/** The nginx master's worker processes (its children), or undefined when /proc cannot tell. */
export async function workerPids(master: number): Promise<number[] | undefined> {
  try {
    const text = await readFile(`/proc/${master}/task/${master}/children`, 'utf8');
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
}

/** Inodes of the TCP sockets listening on `port` (IPv4 and IPv6). */
async function listenerInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is `ADDR:PORT` in hex; state 0A is LISTEN; the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Whether `pid` still holds one of the sockets; false once it has exited. */
async function holdsSocket(pid: number, inodes: ReadonlySet<string>): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) return true;
  }
  return false;
}

/**
 * After a reload the master starts the new workers and tells the old ones to stop only 100 ms later
 * (ngx_master_process_cycle in src/os/unix/ngx_process_cycle.c: "allow new processes to start", ngx_msleep(100)), so
 * for a moment old workers still accept connections and route them by the old configuration. Resolves once none of
 * `old` holds a listening socket of `port` (a shutting-down worker closes them first, then finishes its requests),
 * or at `deadline` (ms since epoch); it never waits for the old workers' requests themselves.
 */
export async function untilOldWorkersStopAccepting(old: readonly number[], port: number, deadline: number) {
  const inodes = await listenerInodes(port);
  if (inodes.size === 0) return;
  let pending = [...old];
  while (pending.length > 0 && Date.now() < deadline) {
    const still = await Promise.all(pending.map(async (pid) => ((await holdsSocket(pid, inodes)) ? pid : -1)));
    pending = still.filter((pid) => pid >= 0);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
