import type { ExitCode } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import type { CliIo } from '../output.js';
import { parseCommand } from '../project-options.js';
import { type CliDeps, PROVIDER_HELP, PROVIDER_OPTIONS, type ProviderValues, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom } from './arguments.js';

const ROLLBACK_HELP = `Usage: lanes rollback <service> <lane>

Rolls the lane back to the revision it served before its current one (a rolling replace, no request lost).
Rolling back twice goes forward again. With --provider aws: the image before the current one (stack tags).
${PROVIDER_HELP}`;

const DELETE_HELP = `Usage: lanes delete <service> <lane>

Deletes a lane: it leaves the gateway first (its tag falls back to default), then its replicas drain and stop.
With --provider aws: the lane's stack is deleted.
${PROVIDER_HELP}`;

export async function runRollbackCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<ProviderValues>('rollback', args, PROVIDER_OPTIONS, ROLLBACK_HELP, io);
  if (typeof parsed === 'number') return parsed;
  return withProvider('rollback', parsed.values, io, deps, async (provider, session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'rollback');
    const result = await withInterrupt(provider.interruptible === true, (signal) => provider.rollback(key, { signal }));
    return renderProviderResult(io, parsed.values.json === true, result);
  });
}

export async function runDeleteCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<ProviderValues>('delete', args, PROVIDER_OPTIONS, DELETE_HELP, io);
  if (typeof parsed === 'number') return parsed;
  return withProvider('delete', parsed.values, io, deps, async (provider, session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'delete');
    const result = await withInterrupt(provider.interruptible === true, (signal) => provider.delete(key, { signal }));
    return renderProviderResult(io, parsed.values.json === true, result);
  });
}
