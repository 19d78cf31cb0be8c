import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LanesError } from '../errors.js';
import type { RunSpec } from '../model.js';
import { formatCommand } from './command-text.js';
import { describeError } from './error-text.js';
import { replicaEnv } from './replica-env.js';
import { spawnProblem } from './spawn-problem.js';

export interface StartReplicaOptions {
  run: RunSpec;
  port: number;
  /** Appended to, never truncated: earlier runs of the replica stay readable above the new header line. */
  logFile: string;
  /** Variables the platform adds (lane, revision, replica id); they override `run.env`, the port overrides both. */
  extraEnv?: Record<string, string>;
}

export type StartedReplica =
  | { type: 'started'; pid: number; port: number; logFile: string }
  /** The command could not be started at all (missing command or working directory, no permission). */
  | { type: 'spawn-failed'; message: string };

/**
 * Starts one replica as a detached process: its own session and process group, stdio in its log file, not
 * referenced by this process. So it outlives the short-lived CLI that starts it, a Ctrl-C in the CLI's terminal
 * does not reach it, and a later CLI can stop it, with everything it spawned, through its pid (see `stopReplica`).
 *
 * @throws LanesError `LANES_REPLICA_LOG_UNWRITABLE` when the log file cannot be opened.
 */
export function startReplica(options: StartReplicaOptions): StartedReplica {
  const { run, port, logFile } = options;
  const env = replicaEnv(run, port, options.extraEnv);
  const commandText = formatCommand(run.command);
  const fd = openLog(logFile);
  try {
    writeSync(fd, `${logStamp()} starting ${commandText} in ${run.cwd} on port ${port}\n`);
    const failed = (reason: string): StartedReplica => {
      const message = `cannot start ${commandText} in ${run.cwd}: ${reason}`;
      writeSync(fd, `${logStamp()} ${message}\n`);
      return { type: 'spawn-failed', message };
    };
    const problem = spawnProblem(run.command, run.cwd, env);
    if (problem) return failed(problem);
    const [program = '', ...args] = run.command;
    let child: ChildProcess;
    try {
      child = spawn(program, args, { cwd: run.cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    } catch (error) {
      return failed(describeError(error));
    }
    // Node emits a failed spawn as an 'error' event on the next tick; unheard, it would crash the CLI.
    child.on('error', () => {});
    if (child.pid === undefined) return failed('the operating system refused to start it');
    child.unref();
    return { type: 'started', pid: child.pid, port, logFile };
  } finally {
    closeSync(fd);
  }
}

function openLog(logFile: string): number {
  try {
    mkdirSync(dirname(logFile), { recursive: true });
    return openSync(logFile, 'a');
  } catch (error) {
    throw new LanesError(
      'LANES_REPLICA_LOG_UNWRITABLE',
      `cannot open the replica log ${logFile}: ${describeError(error)}`,
      'system',
      { cause: error },
    );
  }
}

/** Lines the platform writes into a replica's log are marked so they cannot be mistaken for the service's own. */
function logStamp(): string {
  return `${new Date().toISOString()} [lanes]`;
}
