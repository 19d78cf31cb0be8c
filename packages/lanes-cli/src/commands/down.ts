import { EXIT } from '@lanes/cli-kit';
import { stopPlatform } from '@lanes/core';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS, printResult, withProject } from '../project-options.js';
import { LOCAL_PROVIDER_OPTION, refuseNonLocal } from '../providers.js';

export const downCommand = lanesCommand({
  name: 'down',
  summary: 'stop the platform and every replica (state is kept)',
  description: `Stops the platform and every replica. Lanes, revisions and weights stay in the state database: the next
'lanes up' brings them back.`,
  options: { ...LOCAL_PROVIDER_OPTION, ...PROJECT_OPTIONS },
  async run({ values }, io) {
    const refused = refuseNonLocal('down', values.provider, io);
    if (refused !== undefined) return refused;
    return withProject('down', values, io, async (session) => {
      const result = await stopPlatform(session);
      const platform = result.platformStopped ? 'platform stopped, ' : '';
      const count = `${result.replicasStopped} replica${result.replicasStopped === 1 ? '' : 's'} stopped`;
      const pids = result.stopped.length > 0 ? ` (pid ${result.stopped.map((r) => r.pid).join(', ')})` : '';
      printResult(io, values.json === true, result, `${platform}${count}${pids}`);
      for (const busy of result.busy) io.stderr.write(`lanes down: left running: ${busy.message}\n`);
      if (result.busy.length > 0) return EXIT.usage;
      return EXIT.ok;
    });
  },
});
