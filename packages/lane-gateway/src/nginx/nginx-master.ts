import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startParentWatchdog, stopParentWatchdog } from './parent-watchdog.js';

export interface NginxExit {
  code: number | null;
  signal: string | null;
}

/** One nginx master process (and its workers, in its process group), watched for our own death. */
export interface NginxMaster {
  /** 0 when nginx could not be started at all. */
  readonly pid: number;
  readonly gone: boolean;
  readonly exited: Promise<NginxExit>;
  /** The last 4000 characters nginx wrote to stderr. */
  stderr(): string;
  /** SIGQUIT to the group, SIGKILL after `graceMs`; resolves once the master exited. */
  stop(graceMs: number): Promise<void>;
}

/** How long a watchdog lets nginx finish its requests after our death before SIGKILL. */
const ORPHAN_GRACE_MS = 5000;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {}
}

/**
 * Starts a foreground master (`daemon off`) in its own process group, so that the group holds it and its workers:
 * killed with this process on a normal exit, and by the parent watchdog when this process is killed.
 */
export function spawnMaster(binary: string, prefix: string, conf: string): NginxMaster {
  const child = spawn(binary, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? 0;
  const watchdog = pid > 0 ? startParentWatchdog(pid, prefix, ORPHAN_GRACE_MS) : undefined;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const killOnExit = (): void => {
    if (pid > 0 && child.exitCode === null) killGroup(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  let gone = false;
  const exited = new Promise<NginxExit>((resolve) => {
    const done = (exit: NginxExit): void => {
      gone = true;
      process.off('exit', killOnExit);
      // A master that was killed leaves its workers behind, still holding the port: they go with it.
      if (pid > 0) killGroup(pid, 'SIGKILL');
      if (watchdog) stopParentWatchdog(watchdog);
      resolve(exit);
    };
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      stderr += error.message;
      done({ code: null, signal: null });
    });
  });
  return {
    pid,
    get gone() {
      return gone;
    },
    exited,
    stderr: () => stderr,
    async stop(graceMs: number): Promise<void> {
      if (gone || pid === 0) return;
      killGroup(pid, 'SIGQUIT');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
