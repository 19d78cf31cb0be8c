import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Reads its stdin until end of file: the only writer of that pipe is the lanes process, so EOF means that process is
 * gone, however it went (SIGKILL included). Then SIGQUIT to nginx's process group (graceful: workers finish their
 * requests), SIGKILL to the group once `$2` tenths of a second passed, and the prefix folder `$3` is removed. `kill
 * -0 -PGID` polls the group; dash's builtin kill takes neither `--` nor `-s` before a negative pid, hence this form.
 */
const SCRIPT = `while read -r _; do :; done
kill -QUIT -$1 2>/dev/null || { rm -rf "$3"; exit 0; }
i=0
while [ "$i" -lt "$2" ] && kill -0 -$1 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -KILL -$1 2>/dev/null
rm -rf "$3"`;

/**
 * Why a watchdog and not nginx under a wrapper: Node cannot set PR_SET_PDEATHSIG on a child, so a SIGKILLed lanes
 * process runs no cleanup and nginx (master and workers, in their own process group) would keep serving. A sibling
 * `sh` that only holds a pipe from us keeps nginx our direct child: its exit status, SIGHUP reloads and
 * /proc/<pid>/task/<pid>/children for the workers all stay as they are, and a plain shell is on every host nginx is.
 * It runs detached (own process group) so that a signal to our group (Ctrl-C) does not take it before our own
 * graceful close; our close kills it by pid once nginx is gone, so it never signals a group that no longer is ours.
 */
export function startParentWatchdog(nginxGroup: number, prefix: string, graceMs: number): ChildProcess {
  const tenths = String(Math.max(1, Math.ceil(graceMs / 100)));
  const watchdog = spawn('/bin/sh', ['-c', SCRIPT, 'lanes-nginx-watchdog', String(nginxGroup), tenths, prefix], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  // Neither the child nor its pipe keeps this process alive: it exists to outlive us.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}

/** Ends the watchdog without it touching nginx (SIGKILL: it gets no EOF first, so it signals nothing). */
export function stopParentWatchdog(watchdog: ChildProcess): void {
  if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
  // After the kill: closing the pipe first would be the EOF that makes it stop nginx.
  watchdog.stdin?.destroy();
}
