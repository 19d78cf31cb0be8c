import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand } from '../project-options.js';
import { type CliDeps, PROVIDER_HELP, PROVIDER_OPTIONS, type ProviderValues, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';

const HELP = `Usage: lanes status [--service <name>]

Shows every lane: revision, replicas running/healthy/desired, share of untagged traffic, requests, error rate and
latency since the gateway started, alarms (5xx over 1%, running below desired 3 samples in a row, no healthy
replica), and the operation that holds the lane, if any. With --provider aws: each lane's stack, its status, image
and label.
${PROVIDER_HELP}`;

export async function runStatusCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<{ service?: string } & ProviderValues>(
    'status',
    args,
    { service: { type: 'string', short: 's' }, ...PROVIDER_OPTIONS },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { service } = parsed.values;
  return withProvider('status', parsed.values, io, deps, async (provider) =>
    renderProviderResult(io, parsed.values.json === true, await provider.status(service ? { service } : {})),
  );
}
