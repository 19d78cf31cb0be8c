import { deleteLane, rollbackLane } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printRefusal, printResult, withProject } from '../project-options.js';
import { laneKeyFrom } from './arguments.js';
import { PROVIDER_HELP, PROVIDER_OPTIONS, providerOf, runAwsLaneAction } from './aws-provider.js';
import { deployExitCode, reportDeploy } from './deploy.js';

interface ProviderValues {
  provider?: string;
  region?: string;
}

const ROLLBACK_HELP = `Usage: lanes rollback <service> <lane>

Rolls the lane back to the revision it served before its current one (a rolling replace, no request lost).
Rolling back twice goes forward again.
${PROVIDER_HELP}`;

const DELETE_HELP = `Usage: lanes delete <service> <lane>

Deletes a lane: it leaves the gateway first (its tag falls back to default), then its replicas drain and stop.
${PROVIDER_HELP}`;

export async function runRollbackCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<ProviderValues>('rollback', args, PROVIDER_OPTIONS, ROLLBACK_HELP, io);
  if (typeof parsed === 'number') return parsed;
  const provider = providerOf(parsed.values.provider, io, 'rollback');
  if (!provider) return EXIT.usage;
  return withProject('rollback', parsed.values, io, async (session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'rollback');
    if (provider === 'aws') {
      return runAwsLaneAction(
        session,
        'rollback',
        key,
        { json: parsed.values.json === true, region: parsed.values.region },
        io,
      );
    }
    const result = await rollbackLane(session, key);
    if (result.type === 'no-previous') return printRefusal(io, parsed.values.json === true, result);
    reportDeploy(io, parsed.values.json === true, result);
    return deployExitCode(result);
  });
}

export async function runDeleteCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<ProviderValues>('delete', args, PROVIDER_OPTIONS, DELETE_HELP, io);
  if (typeof parsed === 'number') return parsed;
  const provider = providerOf(parsed.values.provider, io, 'delete');
  if (!provider) return EXIT.usage;
  return withProject('delete', parsed.values, io, async (session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'delete');
    if (provider === 'aws') {
      return runAwsLaneAction(
        session,
        'delete',
        key,
        { json: parsed.values.json === true, region: parsed.values.region },
        io,
      );
    }
    const result = await deleteLane(session, key);
    const json = parsed.values.json === true;
    if (result.type === 'deleted') {
      printResult(
        io,
        json,
        result,
        `${result.lane} deleted (${result.replicasStopped} replica${result.replicasStopped === 1 ? '' : 's'} stopped)`,
      );
      return EXIT.ok;
    }
    return printRefusal(io, json, result);
  });
}
