import type { Writable } from 'node:stream';

/** Where a CLI writes: stdout for results and events, stderr for diagnostics. Tests pass their own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Print the stack of an error that is not the user's (the `--debug` flag). */
  debug?: boolean;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** One JSON object per line, the `--json` contract. */
export function writeJsonLine(out: Writable, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}
