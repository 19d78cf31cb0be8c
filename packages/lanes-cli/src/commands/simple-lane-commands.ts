import { deleteLane, rollbackLane } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printRefusal, printResult, withProject } from '../project-options.js';
import { laneKeyFrom } from './arguments.js';
import { deployExitCode, reportDeploy } from './deploy.js';

const ROLLBACK_HELP = `Usage: lanes rollback <service> <lane>

Rolls the lane back to the revision it served before its current one (a rolling replace, no request lost).
Rolling back twice goes forward again.`;

const DELETE_HELP = `Usage: lanes delete <service> <lane>

Deletes a lane: it leaves the gateway first (its tag falls back to default), then its replicas drain and stop.`;

export async function runRollbackCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand('rollback', args, {}, ROLLBACK_HELP, io);
  if (typeof parsed === 'number') return parsed;
  return withProject('rollback', parsed.values, io, async (session) => {
    const result = await rollbackLane(session, laneKeyFrom(session, parsed.positionals, 'rollback'));
    if (result.type === 'no-previous') return printRefusal(io, parsed.values.json === true, result);
    reportDeploy(io, parsed.values.json === true, result);
    return deployExitCode(result);
  });
}

export async function runDeleteCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand('delete', args, {}, DELETE_HELP, io);
  if (typeof parsed === 'number') return parsed;
  return withProject('delete', parsed.values, io, async (session) => {
    const result = await deleteLane(session, laneKeyFrom(session, parsed.positionals, 'delete'));
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
