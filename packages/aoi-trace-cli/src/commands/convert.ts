import {
  type DamageEntry,
  exportChromeTrace,
  exportOtlp,
  FdTextSink,
  NdjsonReader,
  NdjsonWriter,
  type TextSink,
  TraceError,
  TraceErrorCode,
} from '@lanes/aoi-trace';
import { parseCommand, positionals } from '../args.js';
import { copyTrace } from '../copy-trace.js';
import { damageOf, warnDamage } from '../damage-output.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { openInput } from '../open-input.js';
import { writeOutputAtomically } from '../open-output.js';

const EXPORT_HELP = `Usage: aoi-trace export <trace> --format ndjson|chrome|otlp [--out <file>]

Writes the trace in another format (to stdout without --out):
  ndjson   the open aoi-trace NDJSON schema (docs/aoi-trace-ndjson.md)
  chrome   Chrome trace events: open in https://ui.perfetto.dev or chrome://tracing
  otlp     OTLP/JSON spans (one per tick, one per message), for any OpenTelemetry backend
A cut or damaged input is exported as far as it can be read and the damage is listed on stderr (exit code 3). In
NDJSON, the first tick after lost ticks carries a "resync" field with the world it follows, so the file still
imports (docs/aoi-trace-ndjson.md).`;

const IMPORT_HELP = `Usage: aoi-trace import <file.ndjson> --out <file.aoitrace>

Validates every line of an aoi-trace NDJSON file (docs/aoi-trace-ndjson.md) and writes it as .aoitrace. The first
bad line stops the import with its line number, field and reason, and no output file is left behind.`;

export async function runExportCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ format?: string; out?: string }>(
    'export',
    args,
    { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' } },
    EXPORT_HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [path] = positionals(parsed, ['trace'], 'export');
  const format = parsed.values.format;
  if (format !== 'ndjson' && format !== 'chrome' && format !== 'otlp') {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `--format must be ndjson, chrome or otlp, got "${format ?? ''}".`,
    );
  }
  const out = parsed.values.out === undefined ? new FdTextSink(1) : new FdTextSink(parsed.values.out);
  const input = openInput(path!);
  let damage: DamageEntry[];
  try {
    if (format === 'chrome') exportChromeTrace(input, out);
    else if (format === 'otlp') exportOtlp(input, out);
    else copyTrace(input, new NdjsonWriter(out as TextSink));
    damage = damageOf(input);
  } finally {
    out.close();
    input.close?.();
  }
  if (parsed.values.out !== undefined) io.stderr.write(`wrote ${parsed.values.out}\n`);
  warnDamage(io, 'export', damage, parsed.values.json === true);
  return damage.length > 0 ? EXIT.findings : EXIT.ok;
}

export async function runImportCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ out?: string }>(
    'import',
    args,
    { out: { type: 'string', short: 'o' } },
    IMPORT_HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [path] = positionals(parsed, ['file.ndjson'], 'import');
  if (parsed.values.out === undefined)
    throw new TraceError(TraceErrorCode.InvalidArgument, 'import needs --out <file.aoitrace>.');
  const input = new NdjsonReader(path!);
  const ticks = writeOutputAtomically(parsed.values.out, (output) => copyTrace(input, output.sink));
  if (parsed.values.json) io.stdout.write(`${JSON.stringify({ out: parsed.values.out, ticks })}\n`);
  else io.stdout.write(`${parsed.values.out}: ${ticks} ticks imported from ${path}\n`);
  return EXIT.ok;
}
