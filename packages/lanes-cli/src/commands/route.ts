import { EXIT } from '@lanes/cli-kit';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS } from '../project-options.js';
import { PROVIDER_OPTIONS, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';

export const routeCommand = lanesCommand({
  name: 'route',
  summary: 'weights of untagged traffic (percentage canary)',
  positionals: [{ name: 'service' }, { name: 'lane>=<weight', variadic: true }],
  description: `Sets the weights of a service's lanes for untagged requests (a percentage canary on top of tag routing).
Weights are relative: 'default=90 gray=10' sends 10% of untagged requests to gray. Lanes not named keep theirs.
With --provider aws: one lane besides default at a time, in whole percent ('default=90 gray=10' or 'gray=10'),
set as the lane stack's CanaryWeight parameter through a change set.`,
  options: { ...PROVIDER_OPTIONS, ...PROJECT_OPTIONS },
  async run({ values, positionals }, io, deps) {
    const [service, ...pairs] = positionals as [string, ...string[]];
    const weights: Record<string, number> = {};
    for (const pair of pairs) {
      const [lane, weight, extra] = pair.split('=');
      if (!lane || weight === undefined || extra !== undefined || weight === '' || !Number.isFinite(Number(weight))) {
        io.stderr.write(`lanes route: expected <lane>=<weight>, got "${pair}"\n`);
        return EXIT.usage;
      }
      weights[lane] = Number(weight);
    }
    return withProvider('route', values, io, deps, async (provider, session) => {
      if (!session.project.services[service]) {
        io.stderr.write(
          `lanes route: no service "${service}" in ${session.project.file} (services: ${Object.keys(session.project.services).join(', ')})\n`,
        );
        return EXIT.usage;
      }
      return renderProviderResult(io, values.json === true, await provider.route(service, weights));
    });
  },
});
