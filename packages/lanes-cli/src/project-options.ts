import { parseArgs } from 'node:util';
import { type IoHost, LanesConfigError, type LanesEvent, openProject, type ProjectSession } from '@lanes/core';
import { GatewayConfigError } from '@lanes/gateway';
import { isBrandedError } from './branded-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { negativeValuesJoined } from './negative-values.js';
import { type CliIo, writeJsonLine } from './output.js';
import { ProgressRenderer } from './progress-renderer.js';
import { renderLanesEvent } from './render-lanes-event.js';

/** Options every project command takes. */
export const PROJECT_OPTIONS = {
  project: { type: 'string', short: 'p' },
  env: { type: 'string', short: 'e' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const PROJECT_HELP = `Common options:
  -p, --project <dir>   the project folder with lanes.json (default: the current folder)
  -e, --env <env>       the environment (default: dev)
      --json            one JSON object per line: events, then the result
  -v, --verbose         show every event
`;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedCommand<V> {
  values: V & { project?: string; env?: string; json?: boolean; verbose?: boolean; help?: boolean };
  positionals: string[];
}

/** Parses a command's arguments; a mistake prints the message and the help, and yields the usage exit code. */
export function parseCommand<V>(
  name: string,
  args: readonly string[],
  options: OptionSpec,
  help: string,
  io: CliIo,
): ParsedCommand<V> | ExitCode {
  try {
    const parsed = parseArgs({
      args: negativeValuesJoined(args, { ...PROJECT_OPTIONS, ...options }),
      options: { ...PROJECT_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.stdout.write(`${help}\n${PROJECT_HELP}`);
      return EXIT.ok;
    }
    return parsed as unknown as ParsedCommand<V>;
  } catch (error) {
    io.stderr.write(`lanes ${name}: ${(error as Error).message}\n\n${help}\n${PROJECT_HELP}`);
    return EXIT.usage;
  }
}

/**
 * Renders library events: JSON lines with --json (without the progress of waiting replicas: a script reads the
 * outcome), otherwise readable lines on stderr (info and above) with that progress (see ProgressRenderer).
 */
export function eventRenderer(io: CliIo, json: boolean, verbose: boolean): IoHost {
  const progress = new ProgressRenderer(io.stderr, { tty: (io.stderr as { isTTY?: boolean }).isTTY === true });
  return {
    notify(event: LanesEvent) {
      if (json) {
        if (event.code !== 'REPLICA_WAITING') writeJsonLine(io.stdout, { event: event.code, ...event });
      } else if (!progress.event(event) && (verbose || event.level !== 'debug')) {
        progress.line(renderLanesEvent(event));
      }
    },
  };
}

/** Opens the project named by the common options, runs the command, closes it; errors become exit codes. */
export async function withProject(
  name: string,
  values: ParsedCommand<unknown>['values'],
  io: CliIo,
  run: (session: ProjectSession) => Promise<ExitCode>,
): Promise<ExitCode> {
  let session: ProjectSession | undefined;
  try {
    session = await openProject({
      dir: values.project ?? process.cwd(),
      ...(values.env !== undefined ? { env: values.env } : {}),
      io: eventRenderer(io, values.json === true, values.verbose === true),
    });
    return await run(session);
  } catch (error) {
    return reportError(name, error, io, values.json === true);
  } finally {
    session?.close();
  }
}

/**
 * Renders an error the command did not expect to handle: any branded error (README, "Errors") by its fault (user:
 * one line, exit 2; system: its message, exit 1), an OS error by its message, anything else as an internal error
 * with its stack.
 */
export function reportError(name: string, error: unknown, io: CliIo, json: boolean): ExitCode {
  const branded = isBrandedError(error) ? error : undefined;
  const user = branded?.fault === 'user';
  // A branded error, or one with an errno code (the machine, the network), is not a bug: its message says enough.
  const explained = branded !== undefined || typeof (error as NodeJS.ErrnoException)?.code === 'string';
  const code = user ? EXIT.usage : EXIT.internal;
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    const issues = error instanceof LanesConfigError || error instanceof GatewayConfigError ? error.issues : undefined;
    writeJsonLine(io.stdout, { result: 'error', code: branded?.code ?? 'LANES_INTERNAL', message, issues });
  }
  io.stderr.write(`lanes ${name}: ${describeError(error, message, user, explained, io.debug === true)}\n`);
  return code;
}

/** A user's error or the machine's says its message; anything else is ours: its stack with --debug. */
function describeError(error: unknown, message: string, user: boolean, explained: boolean, debug: boolean): string {
  const stack = error instanceof Error ? (error.stack ?? message) : message;
  if (user) return message;
  const said = explained ? message : `internal error: ${message}`;
  return debug ? `${said}\n${stack}` : `${said} (rerun with --debug for the stack)`;
}

/** Prints a command's result: the JSON object with --json, else the human line on stdout. */
export function printResult(io: CliIo, json: boolean, result: object, human: string): void {
  if (json) writeJsonLine(io.stdout, { result: 'ok', ...result });
  else io.stdout.write(`${human}\n`);
}
