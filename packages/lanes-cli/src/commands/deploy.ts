import { resolve } from 'node:path';
import { EXIT } from '@lanes/cli-kit';
import { type DeployRequest, parseDuration } from '@lanes/core';
import { withInterrupt } from '../interrupt.js';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS } from '../project-options.js';
import { PROVIDER_OPTIONS, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom, parseCommandLine, parseSetVars } from './arguments.js';

export const deployCommand = lanesCommand({
  name: 'deploy',
  summary: 'deploy a lane at a new revision (rolling replace, circuit breaker)',
  positionals: [{ name: 'service' }, { name: 'lane' }],
  description: `Deploys a lane at a new revision with a rolling replace: new replicas start and pass their health checks while
the old ones serve, then traffic moves and the old ones stop. A revision whose replicas keep failing is reverted.
The revision runs the service's command from lanes.json (with the lane's overrides), changed by the options.
With --provider aws, --image is required and the lane's stack is updated through a change set; the options
a stack cannot take are refused with the reason (docs/cli.md, "Providers").`,
  options: {
    set: {
      type: 'string',
      multiple: true,
      value: 'KEY=VALUE',
      description: 'an environment variable for this revision',
    },
    command: {
      type: 'string',
      value: '<cmdline>',
      description: `another command: a JSON argv ('["node","v2.js"]') or words split on spaces`,
    },
    cwd: { type: 'string', value: '<dir>', description: 'another working folder (relative to the project)' },
    label: { type: 'string', value: '<text>', description: 'a label for the revision (v1.2.3, a git sha)' },
    image: { type: 'string', value: '<uri>', description: 'the container image (used by the AWS provider)' },
    replicas: { type: 'integer', value: '<n>', description: 'desired replicas of this lane (1 to 32)' },
    weight: {
      type: 'number',
      value: '<n>',
      default: '0: tagged traffic only',
      description: 'weight of a new lane for untagged traffic',
    },
    ttl: {
      type: 'string',
      value: '<duration>',
      description: 'let gc delete the lane after this long without a deploy (30m, 12h, 7d)',
    },
    ...PROVIDER_OPTIONS,
    ...PROJECT_OPTIONS,
  },
  async run({ values, positionals }, io, deps) {
    const ttlMs = values.ttl === undefined ? undefined : parseDuration(values.ttl);
    return withProvider('deploy', values, io, deps, async (provider, session) => {
      const key = laneKeyFrom(session, positionals);
      if (values.ttl !== undefined && ttlMs === undefined) {
        io.stderr.write(`lanes deploy: --ttl must be a duration like 30m, 12h or 7d, got "${values.ttl}"\n`);
        return EXIT.usage;
      }
      const request: DeployRequest = {
        ...(values.set ? { set: parseSetVars(values.set) } : {}),
        ...(values.command ? { command: parseCommandLine(values.command) } : {}),
        ...(values.cwd ? { cwd: resolve(session.project.dir, values.cwd) } : {}),
        ...(values.image ? { image: values.image } : {}),
        ...(values.label ? { label: values.label } : {}),
        ...(values.replicas !== undefined ? { replicas: values.replicas } : {}),
        ...(values.weight !== undefined ? { weight: values.weight } : {}),
        ...(ttlMs !== undefined ? { ttlMs } : {}),
      };
      const result = await withInterrupt(provider.interruptible === true, (signal) =>
        provider.deploy(key, request, { signal }),
      );
      return renderProviderResult(io, values.json === true, result);
    });
  },
});
