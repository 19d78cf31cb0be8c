/** Process exit codes: scripts can tell a mistake of theirs from a failed operation from a bug of ours. */
export const EXIT = {
  ok: 0,
  /** Our fault or the machine's: a bug, a port in use, a crash. */
  internal: 1,
  /** The user's fault: bad arguments, an invalid or unreadable input. */
  usage: 2,
  /** The operation ran and failed (a reverted deployment). */
  failed: 3,
  /** The check ran and found something (detect, diff): the same code as `failed`, named for what a check says. */
  findings: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
