// Every process the benchmark starts goes through here, so one call can stop them all: at the end of a target,
// at the end of the run, on an error and on SIGINT/SIGTERM.
import { fork, spawn } from 'node:child_process';

/** @type {Set<import('node:child_process').ChildProcess>} */
const live = new Set();

/**
 * Each child gets its own process group (`detached`) so stopping it also stops what it started itself
 * (nginx workers, node:cluster workers) without us having to know their pids.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  track(child);
  return child;
}

/**
 * Forked node scripts keep an IPC channel: they report their port over it, and they exit when it closes,
 * which also cleans them up if this process is killed with SIGKILL.
 * @param {string} modulePath
 * @param {string[]} args
 */
export function forkTracked(modulePath, args) {
  const child = fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  track(child);
  return child;
}

/** @param {import('node:child_process').ChildProcess} child */
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  // A failed spawn (e.g. wrk not installed) emits 'error' and never 'exit'.
  child.once('error', () => live.delete(child));
}

/** @param {import('node:child_process').ChildProcess} child */
function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * SIGTERM to the child's group, then SIGKILL if it is still there after `graceMs`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function stopChild(child, graceMs = 3000) {
  if (child.pid === undefined || hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child.pid, 'SIGTERM');
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(child.pid, 'SIGKILL');
    await exited;
  }
  // The leader may be gone while group members linger (e.g. an orphaned cluster worker).
  signalGroup(child.pid, 'SIGKILL');
}

export async function stopAllChildren() {
  await Promise.all([...live].map((child) => stopChild(child)));
}

/**
 * Last resort for paths where no await can run any more (an uncaught exception, process.exit): SIGKILL every
 * group synchronously, so a crashed run never leaves an nginx or a proxy holding a port.
 */
export function killAllChildrenNow() {
  for (const child of live) {
    if (child.pid !== undefined && !hasExited(child)) signalGroup(child.pid, 'SIGKILL');
  }
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Resolves with the first IPC message of the given type, rejects if the child exits or `timeoutMs` passes.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} type
 * @param {number} timeoutMs
 * @returns {Promise<any>}
 */
export function nextMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const onMessage = (/** @type {any} */ message) => {
      if (message?.type !== type) return;
      cleanup();
      resolve(message);
    };
    const onExit = (/** @type {number | null} */ code) => {
      cleanup();
      reject(new Error(`child exited (code ${code}) before sending '${type}'`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no '${type}' message from child within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Keeps the last `maxChars` of a stream, for error messages, and keeps the pipe drained so a chatty child
 * never blocks on a full stdout/stderr buffer.
 * @param {import('node:stream').Readable | null} stream
 * @param {number} [maxChars]
 */
export function captureTail(stream, maxChars = 4000) {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (/** @type {string} */ chunk) => {
    text = (text + chunk).slice(-maxChars);
  });
  return () => text;
}
