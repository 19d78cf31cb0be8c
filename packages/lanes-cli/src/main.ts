import { runDeployCommand } from './commands/deploy.js';
import { runDownCommand } from './commands/down.js';
import { runGatewayCommand } from './commands/gateway.js';
import { runGcCommand } from './commands/gc.js';
import { runLogsCommand } from './commands/logs.js';
import { runPipelineCommand } from './commands/pipeline.js';
import { runPromoteCommand } from './commands/promote.js';
import { runRouteCommand } from './commands/route.js';
import { runDeleteCommand, runRollbackCommand } from './commands/simple-lane-commands.js';
import { runStatusCommand } from './commands/status.js';
import { runSynthCommand } from './commands/synth.js';
import { runTokenCommand } from './commands/token.js';
import { runUpCommand } from './commands/up.js';
import { takeDebugFlag } from './debug-flag.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliIo, processIo } from './output.js';
import type { CliDeps } from './providers.js';

const USAGE = `Usage: lanes <command> [options]

Commands (run in a project folder with lanes.json, or give --project <dir>):
  up [--detach]                       start the local platform: gateway, default and declared lanes, supervisor
  down                                stop the platform and every replica (state is kept)
  deploy <service> <lane> [options]   deploy a lane at a new revision (rolling replace, circuit breaker)
  route <service> <lane>=<weight>...  weights of untagged traffic (percentage canary)
  promote <service> <lane>            make the lane the new default, then delete it
  rollback <service> <lane>           go back to the lane's previous revision
  delete <service> <lane>             delete a lane
  status [--service <name>]           lanes, revisions, replicas, traffic, errors, latency, alarms
  logs <service> <lane> [--follow]    the lane's replica logs (--lines, --since, --all)
  gc [--older-than <duration>]        delete lanes not deployed for that long (and expired TTLs)
  token <lane> [--ttl <duration>]     a signed token that lets an untrusted client into the lane
  gateway --config <file>             run the lane gateway on its own (see docs/gateway.md)
  synth [--out <dir>]                 generate the AWS infra repo: stacks, pipelines, buildspec (docs/aws.md)
  pipeline start <service> ...        start the service's app pipeline on AWS for a lane and branch (AWS only)

deploy, route, promote, rollback, delete, status and logs take --provider local|aws (default local).
Every command takes --json (one JSON object per line), --help, and --debug (the stack of an error that is not yours).
Exit codes: 0 done, 1 internal error, 2 user error (bad input, busy lane), 3 the operation failed and was reverted.

Run 'lanes <command> --help' for the options of a command.
`;

/** The CLI entry: parses the verb and hands over; returns the process exit code. */
export async function main(argv: readonly string[], given: CliIo = processIo, deps: CliDeps = {}): Promise<ExitCode> {
  const { args, debug } = takeDebugFlag(argv);
  const io = debug ? { ...given, debug } : given;
  const [command, ...rest] = args;
  switch (command) {
    case 'gateway':
      return runGatewayCommand(rest, io);
    case 'up':
      return runUpCommand(rest, io);
    case 'down':
      return runDownCommand(rest, io);
    case 'deploy':
      return runDeployCommand(rest, io, deps);
    case 'route':
      return runRouteCommand(rest, io, deps);
    case 'promote':
      return runPromoteCommand(rest, io, deps);
    case 'rollback':
      return runRollbackCommand(rest, io, deps);
    case 'delete':
      return runDeleteCommand(rest, io, deps);
    case 'status':
      return runStatusCommand(rest, io, deps);
    case 'logs':
      return runLogsCommand(rest, io, deps);
    case 'gc':
      return runGcCommand(rest, io);
    case 'synth':
      return runSynthCommand(rest, io);
    case 'token':
      return runTokenCommand(rest, io);
    case 'pipeline':
      return runPipelineCommand(rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    case '--version':
      io.stdout.write(`${await version()}\n`);
      return EXIT.ok;
    default:
      io.stderr.write(`lanes: unknown command "${command}"\n\n${USAGE}`);
      return EXIT.usage;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
