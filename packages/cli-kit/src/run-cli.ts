import { readFile } from 'node:fs/promises';
import type { CliSpec } from './command-table.js';
import { takeDebugFlag } from './debug-flag.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { cliUsage, commandHelp } from './help-text.js';
import type { CliIo } from './io.js';
import { optionsOf, parseCommandArgs } from './parse-command.js';
import { renderError } from './render-error.js';

/**
 * A CLI's `main`: `--debug` anywhere, the top-level usage (exit 2 without a command), `--version`, then the command
 * named by the first word, parsed by its table entry. Whatever a command throws is rendered by `renderError`.
 */
export async function runCli<D>(cli: CliSpec<D>, argv: readonly string[], given: CliIo, deps: D): Promise<ExitCode> {
  const { args, debug } = takeDebugFlag(argv);
  const io = debug ? { ...given, debug } : given;
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(cliUsage(cli));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    const pkg = JSON.parse(await readFile(cli.packageJson, 'utf8')) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return EXIT.ok;
  }
  const command = cli.commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`${cli.name}: unknown command "${name}"\n\n${cliUsage(cli)}`);
    return EXIT.usage;
  }
  const prefix = `${cli.name} ${name}`;
  let json = rest.includes('--json');
  try {
    const parsed = parseCommandArgs(command, rest);
    if (parsed.help) {
      io.stdout.write(commandHelp(cli.name, command, optionsOf(command)));
      return EXIT.ok;
    }
    json = parsed.values.json === true;
    return await command.run(parsed, io, deps);
  } catch (error) {
    return renderError(prefix, error, io, json);
  }
}
