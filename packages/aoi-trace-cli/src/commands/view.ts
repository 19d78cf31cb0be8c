import { detect, openTraceReader, type TraceReader } from '@lanes/aoi-trace';
import { FileDataSource, startViewer } from '@lanes/aoi-viewer';
import { intOption, parseCommand } from '../args.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { openAoitrace } from '../open-input.js';
import { untilSignal } from '../signals.js';

const HELP = `Usage: aoi-trace view <file.aoitrace> [--compare <other.aoitrace>] [--port <n>] [--no-detect] [--json]

Serves the web viewer for a recorded trace on 127.0.0.1 and prints its URL: the map, a timeline with the
detectors' anomalies, entity selection (view set, lifecycle, events), search, and diff of two times, or of two
traces with --compare. The detectors run first (one pass over the trace); --no-detect skips them. --json prints
{"url": ...} instead of a sentence. Ctrl-C stops.`;

export async function runViewCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ compare?: string; port?: string; 'no-detect'?: boolean }>(
    'view',
    args,
    { compare: { type: 'string' }, port: { type: 'string', short: 'p' }, 'no-detect': { type: 'boolean' } },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [path, ...extra] = parsed.positionals;
  if (path === undefined || extra.length > 0) {
    io.stderr.write(`aoi-trace view: give one trace file.\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const readers: TraceReader[] = [];
  const source = (file: string) => {
    const reader = openAoitrace(file);
    readers.push(reader);
    const anomalies = parsed.values['no-detect'] ? [] : findingsOf(file, io);
    return new FileDataSource(reader, { name: file, anomalies });
  };
  try {
    const viewer = await startViewer({
      source: source(path),
      ...(parsed.values.compare === undefined ? {} : { compare: source(parsed.values.compare) }),
      port: intOption(parsed.values.port, 'port') ?? 0,
    });
    if (parsed.values.json) io.stdout.write(`${JSON.stringify({ url: viewer.url })}\n`);
    else io.stdout.write(`aoi-trace viewer on ${viewer.url}\n`);
    await untilSignal();
    await viewer.close();
    return EXIT.ok;
  } finally {
    for (const reader of readers) reader.close();
  }
}

/** The detectors' findings for the timeline (read with a reader of its own, so the viewer's stays untouched). */
function findingsOf(file: string, io: CliIo) {
  io.stderr.write(`running the detectors over ${file} ...\n`);
  const reader = openTraceReader(file);
  try {
    const report = detect(reader, { maxFindingsPerDetector: 500 });
    return report.findings.map(({ detector, tick, entities, message }) => ({ detector, tick, entities, message }));
  } finally {
    reader.close();
  }
}
