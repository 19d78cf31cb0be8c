import { stopPlatform } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printResult, withProject } from '../project-options.js';
import { LOCAL_PROVIDER_OPTION, refuseNonLocal } from '../providers.js';

const HELP = `Usage: lanes down

Stops the platform and every replica. Lanes, revisions and weights stay in the state database: the next
'lanes up' brings them back.`;

export async function runDownCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ provider?: string }>('down', args, LOCAL_PROVIDER_OPTION, HELP, io);
  if (typeof parsed === 'number') return parsed;
  const refused = refuseNonLocal('down', parsed.values.provider, io);
  if (refused !== undefined) return refused;
  return withProject('down', parsed.values, io, async (session) => {
    const result = await stopPlatform(session);
    const json = parsed.values.json === true;
    const platform = result.platformStopped ? 'platform stopped, ' : '';
    const count = `${result.replicasStopped} replica${result.replicasStopped === 1 ? '' : 's'} stopped`;
    const pids = result.stopped.length > 0 ? ` (pid ${result.stopped.map((r) => r.pid).join(', ')})` : '';
    printResult(io, json, result, `${platform}${count}${pids}`);
    for (const busy of result.busy) io.stderr.write(`lanes down: left running: ${busy.message}\n`);
    if (result.busy.length > 0) return EXIT.usage;
    return EXIT.ok;
  });
}
