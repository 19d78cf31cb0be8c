import type { Writable } from 'node:stream';

/** Where the CLI writes: stdout for results, stderr for diagnostics. Tests pass their own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Print the stack of an error that is not the user's (the `--debug` flag). */
  debug?: boolean;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** Process exit codes: scripts can tell their mistake from a finding from a bug of ours. */
export const EXIT = {
  ok: 0,
  /** Our fault or the machine's. */
  internal: 1,
  /** The user's fault: bad arguments, unreadable or invalid input. */
  usage: 2,
  /** The check ran and found something (detect, diff). */
  findings: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
