import {
  type DamageEntry,
  exportChromeTrace,
  exportOtlp,
  FdTextSink,
  FORMAT_VERSIONS,
  NdjsonReader,
  NdjsonWriter,
  type TextSink,
} from '@lanes/aoi-trace';
import { defineCommand, EXIT } from '@lanes/cli-kit';
import { copyTrace } from '../copy-trace.js';
import { damageOf, warnDamage } from '../damage-output.js';
import { openInput } from '../open-input.js';
import { writeOutputAtomically } from '../open-output.js';

/** What `export --format` writes (the description below says what each is). */
const EXPORT_FORMATS = ['ndjson', 'chrome', 'otlp'] as const;

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'the trace as ndjson, chrome (Perfetto) or otlp',
  positionals: [{ name: 'trace' }],
  description: `Writes the trace in another format (to stdout without --out):
  ndjson   the open aoi-trace NDJSON schema (docs/aoi-trace-ndjson.md)
  chrome   Chrome trace events: open in https://ui.perfetto.dev or chrome://tracing
  otlp     OTLP/JSON spans (one per tick, one per message), for any OpenTelemetry backend
A cut or damaged input is exported as far as it can be read and the damage is listed on stderr (exit code 3). In
NDJSON, the first tick after lost ticks carries a "resync" field with the world it follows, so the file still
imports (docs/aoi-trace-ndjson.md).`,
  options: {
    format: { type: 'choice', short: 'f', choices: EXPORT_FORMATS, required: true, description: 'the format' },
    out: { type: 'string', short: 'o', value: '<file>', default: 'stdout', description: 'the file to write' },
  },
  async run({ values, positionals: [path] }, io) {
    const { format } = values;
    const out = values.out === undefined ? new FdTextSink(1) : new FdTextSink(values.out);
    const input = openInput(path as string);
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
    if (values.out !== undefined) io.stderr.write(`wrote ${values.out}\n`);
    warnDamage(io, 'export', damage, values.json === true);
    return damage.length > 0 ? EXIT.findings : EXIT.ok;
  },
});

export const importCommand = defineCommand({
  name: 'import',
  summary: 'validate NDJSON and store it as .aoitrace',
  positionals: [{ name: 'file.ndjson' }],
  description: `Validates every line of an aoi-trace NDJSON file (docs/aoi-trace-ndjson.md) and writes it as .aoitrace. The first
bad line stops the import with its line number, field and reason, and no output file is left behind.`,
  options: {
    out: { type: 'string', short: 'o', value: '<file.aoitrace>', required: true, description: 'the trace to write' },
    format: {
      type: 'choice',
      choices: FORMAT_VERSIONS,
      default: '2.2',
      description: 'the .aoitrace version (3.x: only the events the geometry does not predict; 3.1 the newest)',
    },
  },
  async run({ values, positionals: [path] }, io) {
    const out = values.out as string;
    const { format } = values;
    const input = new NdjsonReader(path as string);
    const ticks = writeOutputAtomically(
      out,
      (output) => copyTrace(input, output.sink),
      format === undefined ? {} : { format },
    );
    if (values.json) io.stdout.write(`${JSON.stringify({ out, ticks })}\n`);
    else io.stdout.write(`${out}: ${ticks} ticks imported from ${path}\n`);
    return EXIT.ok;
  },
});
