import { withInterrupt } from '../interrupt.js';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS } from '../project-options.js';
import { PROVIDER_OPTIONS, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom } from './arguments.js';

export const rollbackCommand = lanesCommand({
  name: 'rollback',
  summary: "go back to the lane's previous revision",
  positionals: [{ name: 'service' }, { name: 'lane' }],
  description: `Rolls the lane back to the revision it served before its current one (a rolling replace, no request lost).
Rolling back twice goes forward again. With --provider aws: the image before the current one (stack tags).`,
  options: { ...PROVIDER_OPTIONS, ...PROJECT_OPTIONS },
  async run({ values, positionals }, io, deps) {
    return withProvider('rollback', values, io, deps, async (provider, session) => {
      const key = laneKeyFrom(session, positionals);
      const result = await withInterrupt(provider.interruptible === true, (signal) =>
        provider.rollback(key, { signal }),
      );
      return renderProviderResult(io, values.json === true, result);
    });
  },
});

export const deleteCommand = lanesCommand({
  name: 'delete',
  summary: 'delete a lane',
  positionals: [{ name: 'service' }, { name: 'lane' }],
  description: `Deletes a lane: it leaves the gateway first (its tag falls back to default), then its replicas drain and stop.
With --provider aws: the lane's stack is deleted.`,
  options: { ...PROVIDER_OPTIONS, ...PROJECT_OPTIONS },
  async run({ values, positionals }, io, deps) {
    return withProvider('delete', values, io, deps, async (provider, session) => {
      const key = laneKeyFrom(session, positionals);
      const result = await withInterrupt(provider.interruptible === true, (signal) => provider.delete(key, { signal }));
      return renderProviderResult(io, values.json === true, result);
    });
  },
});
