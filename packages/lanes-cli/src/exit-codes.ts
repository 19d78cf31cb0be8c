/** Process exit codes: scripts can tell a mistake of theirs from a failed deployment from a bug of ours. */
export const EXIT = {
  ok: 0,
  /** Our fault or the machine's: a bug, a port in use, a crash. */
  internal: 1,
  /** The user's fault: bad arguments, an invalid config file. */
  usage: 2,
  /** A deployment (or other operation) ran and failed. */
  failed: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
