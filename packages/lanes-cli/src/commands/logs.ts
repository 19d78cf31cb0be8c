import { followLog, laneLogFiles, readLastLines } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, withProject } from '../project-options.js';
import { laneKeyFrom } from './arguments.js';

const HELP = `Usage: lanes logs <service> <lane> [--follow] [--lines <n>]

Prints the logs of the lane's replicas (from <state dir>/logs/<env>/<service>/<lane>/), each line prefixed with
its replica; --follow keeps printing new lines until Ctrl-C.`;

export async function runLogsCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ follow?: boolean; lines?: string }>(
    'logs',
    args,
    { follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' } },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const lines = parsed.values.lines === undefined ? 50 : Number(parsed.values.lines);
  if (!Number.isInteger(lines) || lines < 0) {
    io.stderr.write(`lanes logs: --lines must be a whole number, got "${parsed.values.lines}"\n`);
    return EXIT.usage;
  }
  return withProject('logs', parsed.values, io, async (session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'logs');
    const files = await laneLogFiles(session.project.stateDir, key);
    for (const file of files) {
      for (const line of await readLastLines(file.path, lines)) io.stdout.write(`[${file.replica}] ${line}\n`);
    }
    if (!parsed.values.follow) return EXIT.ok;
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    await Promise.all(
      files.map((file) =>
        followLog(file.path, (line) => io.stdout.write(`[${file.replica}] ${line}\n`), {
          fromEnd: true,
          signal: controller.signal,
        }),
      ),
    );
    return EXIT.ok;
  });
}
