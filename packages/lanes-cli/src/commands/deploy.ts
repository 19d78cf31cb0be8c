import { resolve } from 'node:path';
import { type DeployRequest, parseDuration } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import type { CliIo } from '../output.js';
import { parseCommand } from '../project-options.js';
import { type CliDeps, PROVIDER_HELP, PROVIDER_OPTIONS, type ProviderValues, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom, parseCommandLine, parseSetVars } from './arguments.js';

const HELP = `Usage: lanes deploy <service> <lane> [options]

Deploys a lane at a new revision with a rolling replace: new replicas start and pass their health checks while
the old ones serve, then traffic moves and the old ones stop. A revision whose replicas keep failing is reverted.
The revision runs the service's command from lanes.json (with the lane's overrides), changed by:
  --set KEY=VALUE       an environment variable for this revision (repeatable)
  --command <cmdline>   another command: a JSON argv ('["node","v2.js"]') or words split on spaces
  --cwd <dir>           another working folder (relative to the project)
  --label <text>        a label for the revision (v1.2.3, a git sha)
  --image <uri>         the container image (used by the AWS provider)
  --replicas <n>        desired replicas of this lane
  --weight <n>          weight of a new lane for untagged traffic (default 0)
  --ttl <duration>      delete the lane after this time without deploys (30m, 12h, 7d)
${PROVIDER_HELP}
  With --provider aws, --image is required and the lane's stack is updated through a change set; the options
  a stack cannot take are refused with the reason (docs/cli.md, "Providers").`;

const OPTIONS = {
  set: { type: 'string', multiple: true },
  command: { type: 'string' },
  cwd: { type: 'string' },
  label: { type: 'string' },
  image: { type: 'string' },
  replicas: { type: 'string' },
  weight: { type: 'string' },
  ttl: { type: 'string' },
  ...PROVIDER_OPTIONS,
} as const;

interface DeployValues extends ProviderValues {
  set?: string[];
  command?: string;
  cwd?: string;
  label?: string;
  image?: string;
  replicas?: string;
  weight?: string;
  ttl?: string;
}

export async function runDeployCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<DeployValues>('deploy', args, OPTIONS, HELP, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const replicas = values.replicas === undefined ? undefined : Number(values.replicas);
  const weight = values.weight === undefined ? undefined : Number(values.weight);
  const ttlMs = values.ttl === undefined ? undefined : parseDuration(values.ttl);
  return withProvider('deploy', values, io, deps, async (provider, session) => {
    const key = laneKeyFrom(session, positionals, 'deploy');
    const checks = [
      replicas !== undefined &&
        !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 32) &&
        `--replicas must be a whole number from 1 to 32, got "${values.replicas}"`,
      weight !== undefined &&
        !(Number.isFinite(weight) && weight >= 0) &&
        `--weight must be a number >= 0, got "${values.weight}"`,
      values.ttl !== undefined &&
        ttlMs === undefined &&
        `--ttl must be a duration like 30m, 12h or 7d, got "${values.ttl}"`,
    ].filter((problem): problem is string => typeof problem === 'string');
    if (checks.length > 0) {
      io.stderr.write(`lanes deploy: ${checks.join('\n')}\n`);
      return EXIT.usage;
    }
    const request: DeployRequest = {
      ...(values.set ? { set: parseSetVars(values.set) } : {}),
      ...(values.command ? { command: parseCommandLine(values.command) } : {}),
      ...(values.cwd ? { cwd: resolve(session.project.dir, values.cwd) } : {}),
      ...(values.image ? { image: values.image } : {}),
      ...(values.label ? { label: values.label } : {}),
      ...(replicas !== undefined ? { replicas } : {}),
      ...(weight !== undefined ? { weight } : {}),
      ...(ttlMs !== undefined ? { ttlMs } : {}),
    };
    const result = await withInterrupt(provider.interruptible === true, (signal) =>
      provider.deploy(key, request, { signal }),
    );
    return renderProviderResult(io, values.json === true, result);
  });
}
