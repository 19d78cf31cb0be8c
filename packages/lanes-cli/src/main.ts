import { runGatewayCommand } from './commands/gateway.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliIo, processIo } from './output.js';

const USAGE = `Usage: lanes <command> [options]

Commands:
  gateway --config <file> [--json] [--workers <n>]   run the lane-aware HTTP gateway

Run 'lanes <command> --help' for the options of a command.
`;

/** The CLI entry: parses the verb and hands over; returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'gateway':
      return runGatewayCommand(rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    case '--version':
      io.stdout.write(`${await version()}\n`);
      return EXIT.ok;
    default:
      io.stderr.write(`lanes: unknown command "${command}"\n\n${USAGE}`);
      return EXIT.usage;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
