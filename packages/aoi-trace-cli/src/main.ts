import { type CliIo, type ExitCode, processIo, runCli } from '@lanes/cli-kit';
import { AOI_TRACE_CLI } from './aoi-trace-cli.js';

export { AOI_TRACE_CLI } from './aoi-trace-cli.js';

/** The CLI entry: returns the process exit code. Errors of the user's making print one line, no stack. */
export function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  return runCli(AOI_TRACE_CLI, argv, io, undefined);
}
