import { type CliIo, type ExitCode, type OptionValues, renderError, writeJsonLine } from '@lanes/cli-kit';
import { type IoHost, type LanesEvent, openProject, type ProjectSession } from '@lanes/core';
import { ProgressRenderer } from './progress-renderer.js';
import { renderLanesEvent } from './render-lanes-event.js';

/** Options every project command takes. */
export const PROJECT_OPTIONS = {
  project: {
    type: 'string',
    short: 'p',
    value: '<dir>',
    description: 'the project folder with lanes.json (default: the current folder)',
    common: true,
  },
  env: {
    type: 'string',
    short: 'e',
    value: '<env>',
    description: 'the environment: picks params/*-{env}.json and separates state (default: dev)',
    common: true,
  },
  json: {
    type: 'boolean',
    description: 'one JSON object per line on stdout: the events as they happen, then the result',
    common: true,
  },
  verbose: { type: 'boolean', short: 'v', description: 'show every event, debug ones included', common: true },
} as const;

export type ProjectValues = OptionValues<typeof PROJECT_OPTIONS>;

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
  values: ProjectValues,
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
    return renderError(`lanes ${name}`, error, io, values.json === true);
  } finally {
    session?.close();
  }
}

/** Prints a command's result: the JSON object with --json, else the human line on stdout. */
export function printResult(io: CliIo, json: boolean, result: object, human: string): void {
  if (json) writeJsonLine(io.stdout, { result: 'ok', ...result });
  else io.stdout.write(`${human}\n`);
}
