import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import type { RunSpec } from '../model.js';
import { formatCommand } from './command-text.js';
import { replicaEnv } from './replica-env.js';

/** Where execvp looks when the environment has no PATH (libuv uses the same default). */
const DEFAULT_PATH = '/usr/bin:/bin';

/**
 * Why `command` cannot be started in `cwd`, or undefined when it looks startable. Checked before spawning because
 * Node reports both a missing working directory and a missing command as the same `spawn X ENOENT`, and only on the
 * next tick; the user needs to know which of the two to fix.
 */
export function spawnProblem(
  command: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
): string | undefined {
  const program = command[0];
  if (program === undefined || program === '') return 'the command is empty';
  if (!isAbsolute(cwd)) return 'the working directory is not an absolute path';
  const dir = statOrUndefined(cwd);
  if (!dir) return 'the working directory does not exist';
  if (!dir.isDirectory()) return 'the working directory is not a directory';
  if (!canAccess(cwd, constants.X_OK)) return 'the working directory cannot be entered (permission denied)';
  if (program.includes('/')) return executableProblem(resolve(cwd, program));
  return searchPath(program, cwd, env.PATH ?? DEFAULT_PATH);
}

function searchPath(program: string, cwd: string, searchPath: string): string | undefined {
  let notExecutable: string | undefined;
  for (const entry of searchPath.split(delimiter)) {
    const candidate = resolve(cwd, entry, program);
    const stats = statOrUndefined(candidate);
    if (!stats || stats.isDirectory()) continue;
    if (canAccess(candidate, constants.X_OK)) return undefined;
    notExecutable ??= candidate;
  }
  if (notExecutable) return `${notExecutable} is not executable (permission denied)`;
  return `${program} was not found on PATH (${searchPath})`;
}

function executableProblem(file: string): string | undefined {
  const stats = statOrUndefined(file);
  if (!stats) return `${file} does not exist`;
  if (stats.isDirectory()) return `${file} is a directory`;
  if (!canAccess(file, constants.X_OK)) return `${file} is not executable (permission denied)`;
  return undefined;
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function canAccess(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a revision's command cannot be started at all, checked before a deploy starts anything (a missing program or
 * working directory would otherwise only show after every start attempt failed), or undefined when it can.
 */
export function runProblem(run: Pick<RunSpec, 'command' | 'cwd' | 'env' | 'portEnv'>): string | undefined {
  const problem = spawnProblem(run.command, run.cwd, replicaEnv(run, 0));
  return problem && `cannot start ${formatCommand(run.command)} in ${run.cwd}: ${problem}`;
}
