import { readFileSync } from 'node:fs';
import { isBrandedError } from './branded-error.js';
import { runExportCommand, runImportCommand } from './commands/convert.js';
import { runDetectCommand } from './commands/detect.js';
import { runDiffCommand } from './commands/diff.js';
import { runInspectCommand } from './commands/inspect.js';
import { runQueryCommand } from './commands/query.js';
import { runRecordCommand } from './commands/record.js';
import { runServeCommand } from './commands/serve.js';
import { runShrinkCommand } from './commands/shrink.js';
import { runSimulateCommand } from './commands/simulate.js';
import { runViewCommand } from './commands/view.js';
import { takeDebugFlag } from './debug-flag.js';
import { type CliIo, EXIT, type ExitCode, processIo } from './io.js';

const USAGE = `Usage: aoi-trace <command> [options]

Record every AOI visibility change, store it compactly, rewind, diff, and detect AOI bugs.

Commands:
  simulate --scenario <name> --out <f>   run the engine on a seeded scenario (optionally with injected bugs)
  record --out <f> -- <command...>       record a game server that prints aoi-trace NDJSON on stdout
  inspect <f.aoitrace>                   header, sizes, integrity (cut or damaged chunks)
  query <trace> <question>               state, lifecycle, view, seen, events, event (causal chain)
  diff <a> <b>                           compare two traces of the same scenario
  detect <trace>                         find torn views, delayed broadcasts, adjacency errors, oscillation,
                                         and every event the geometry says is missing, extra or late
  shrink <trace> --finding <f> --out <f.ndjson>
                                         the smallest trace that still shows a finding (delta debugging)
  export <trace> --format <f>            ndjson, chrome (Perfetto) or otlp
  import <f.ndjson> --out <f.aoitrace>   validate NDJSON and store it as .aoitrace
  serve [--view]                         live ingest endpoint (HTTP and WebSocket) with a CPU-profile hook,
                                         and with --view the live stream in the web viewer
  view <f.aoitrace> [--compare <g>]      the web viewer: map, timeline, anomalies, selection, diff

<trace> is an .aoitrace or NDJSON file. Every command takes --help, --json, and --debug (the stack of an error
that is not yours).
Exit codes: 0 ok, 1 internal error, 2 bad input or arguments, 3 findings (detect, diff, inspect, record)
or a cut or damaged input (read as far as it could be; what was lost is listed).
Formats: docs/aoitrace-format.md, docs/aoi-trace-ndjson.md. Guide: docs/aoi-trace.md.
`;

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

const COMMANDS: Record<string, Command> = {
  simulate: runSimulateCommand,
  record: runRecordCommand,
  inspect: runInspectCommand,
  query: runQueryCommand,
  diff: runDiffCommand,
  detect: runDetectCommand,
  shrink: runShrinkCommand,
  export: runExportCommand,
  import: runImportCommand,
  serve: runServeCommand,
  view: runViewCommand,
};

/** The CLI entry: returns the process exit code. Errors of the user's making print one line, no stack. */
export async function main(argv: readonly string[], given: CliIo = processIo): Promise<ExitCode> {
  const { args, debug } = takeDebugFlag(argv);
  const io = debug ? { ...given, debug } : given;
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`aoi-trace: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    // Any package's error (README, "Errors"): the engine's AoiError as much as a TraceError.
    if (isBrandedError(error) && error.fault === 'user') {
      io.stderr.write(`aoi-trace ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    // The reader went away (`aoi-trace detect f | head`): nothing left to say to anyone.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.ok;
    const message = error instanceof Error ? error.message : String(error);
    const said = isBrandedError(error) ? message : `internal error: ${message}`;
    const stack = error instanceof Error ? (error.stack ?? message) : message;
    io.stderr.write(
      `aoi-trace ${name}: ${io.debug ? `${said}\n${stack}` : `${said} (rerun with --debug for the stack)`}\n`,
    );
    return EXIT.internal;
  }
}
