import { type CliIo, type ExitCode, processIo, runCli } from '@lanes/cli-kit';
import { LANES_CLI } from './lanes-cli.js';
import type { CliDeps } from './providers.js';

/** The CLI entry: parses the verb and hands over; returns the process exit code. */
export function main(argv: readonly string[], io: CliIo = processIo, deps: CliDeps = {}): Promise<ExitCode> {
  return runCli(LANES_CLI, argv, io, deps);
}
