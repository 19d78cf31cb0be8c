import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand } from '../project-options.js';
import { type CliDeps, PROVIDER_HELP, PROVIDER_OPTIONS, type ProviderValues, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';

const HELP = `Usage: lanes route <service> <lane>=<weight> [<lane>=<weight> ...]

Sets the weights of a service's lanes for untagged requests (a percentage canary on top of tag routing).
Weights are relative: 'default=90 gray=10' sends 10% of untagged requests to gray. Lanes not named keep theirs.
With --provider aws: one lane besides default at a time, in whole percent ('default=90 gray=10' or 'gray=10'),
set as the lane stack's CanaryWeight parameter through a change set.
${PROVIDER_HELP}`;

export async function runRouteCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<ProviderValues>('route', args, PROVIDER_OPTIONS, HELP, io);
  if (typeof parsed === 'number') return parsed;
  const [service, ...pairs] = parsed.positionals;
  const weights: Record<string, number> = {};
  for (const pair of pairs) {
    const [lane, weight, extra] = pair.split('=');
    if (!lane || weight === undefined || extra !== undefined || weight === '' || !Number.isFinite(Number(weight))) {
      io.stderr.write(`lanes route: expected <lane>=<weight>, got "${pair}"\n\n${HELP}\n`);
      return EXIT.usage;
    }
    weights[lane] = Number(weight);
  }
  if (!service || pairs.length === 0) {
    io.stderr.write(`lanes route: give a service and at least one <lane>=<weight>\n\n${HELP}\n`);
    return EXIT.usage;
  }
  return withProvider('route', parsed.values, io, deps, async (provider, session) => {
    if (!session.project.services[service]) {
      io.stderr.write(
        `lanes route: no service "${service}" in ${session.project.file} (services: ${Object.keys(session.project.services).join(', ')})\n`,
      );
      return EXIT.usage;
    }
    return renderProviderResult(io, parsed.values.json === true, await provider.route(service, weights));
  });
}
