import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand } from '../project-options.js';
import { type CliDeps, PROVIDER_HELP, PROVIDER_OPTIONS, type ProviderValues, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom } from './arguments.js';

const HELP = `Usage: lanes logs <service> <lane> [--follow] [--lines <n>]

Prints the logs of the lane's replicas (from <state dir>/logs/<env>/<service>/<lane>/), each line prefixed with
its replica; --follow keeps printing new lines until Ctrl-C.
${PROVIDER_HELP}`;

export async function runLogsCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<{ follow?: boolean; lines?: string } & ProviderValues>(
    'logs',
    args,
    { follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' }, ...PROVIDER_OPTIONS },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const lines = parsed.values.lines === undefined ? 50 : Number(parsed.values.lines);
  if (!Number.isInteger(lines) || lines < 0) {
    io.stderr.write(`lanes logs: --lines must be a whole number, got "${parsed.values.lines}"\n`);
    return EXIT.usage;
  }
  return withProvider('logs', parsed.values, io, deps, async (provider, session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'logs');
    const follow = parsed.values.follow === true;
    const controller = new AbortController();
    const stop = () => controller.abort();
    if (follow) process.once('SIGINT', stop);
    try {
      const request = { lines, follow, signal: controller.signal };
      const result = await provider.logs(key, request, (source, line) => io.stdout.write(`[${source}] ${line}\n`));
      // The lines themselves are the output: a finished read prints nothing more, even with --json.
      return result.type === 'done' ? EXIT.ok : renderProviderResult(io, parsed.values.json === true, result);
    } finally {
      process.off('SIGINT', stop);
    }
  });
}
