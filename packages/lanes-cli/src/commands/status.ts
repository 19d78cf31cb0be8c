import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS } from '../project-options.js';
import { PROVIDER_OPTIONS, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';

export const statusCommand = lanesCommand({
  name: 'status',
  summary: 'lanes, revisions, replicas, traffic, errors, latency, alarms',
  description: `Shows every lane: revision, replicas running/healthy/desired, share of untagged traffic, requests, error rate and
latency since the gateway started, alarms (5xx over 1%, running below desired 3 samples in a row, no healthy
replica), and the operation that holds the lane, if any. With --provider aws: each lane's stack, its status, image
and label.`,
  options: {
    service: { type: 'string', short: 's', value: '<name>', description: 'only the lanes of this service' },
    ...PROVIDER_OPTIONS,
    ...PROJECT_OPTIONS,
  },
  async run({ values }, io, deps) {
    const { service } = values;
    return withProvider('status', values, io, deps, async (provider) =>
      renderProviderResult(io, values.json === true, await provider.status(service ? { service } : {})),
    );
  },
});
