import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { type DamageEntry, TraceError, TraceErrorCode, type TraceReader } from '@lanes/aoi-trace';
import { type AnomalyFinding, FileDataSource, startViewer } from '@lanes/aoi-viewer';
import { type CliIo, defineCommand, EXIT, type ExitCode, type OptionSpecs, type ParsedCommand } from '@lanes/cli-kit';
import { damageLines } from '../damage-output.js';
import { openAoitrace } from '../open-input.js';
import { untilSignal } from '../signals.js';
import { type ViewableFile, viewableFile } from '../viewable-file.js';

/** Above this, the detectors' full pass takes minutes and gigabytes on a dense map: only on request (--detect). */
const DETECT_BY_DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

const VIEW_OPTIONS = {
  compare: { type: 'string', value: '<other.aoitrace>', description: 'a second trace to diff against' },
  port: { type: 'integer', short: 'p', value: '<n>', default: 'any free port', description: "the viewer's port" },
  detect: { type: 'boolean', description: 'run the detectors behind the viewer, whatever the size' },
  'no-detect': { type: 'boolean', description: 'never run the detectors' },
} as const satisfies OptionSpecs;

export const viewCommand = defineCommand({
  name: 'view',
  summary: 'the web viewer: map, timeline, anomalies, selection, diff',
  positionals: [{ name: 'file.aoitrace' }],
  description: `Serves the web viewer for a recorded trace on 127.0.0.1 and prints its URL: the map, a timeline with the
detectors' anomalies, entity selection (view set, lifecycle, events), search, and diff of two times, or of two
traces with --compare. An NDJSON trace (a repro from 'aoi-trace shrink') is imported into a temporary .aoitrace
first. The page is served at once; the detectors run behind it (one pass over the trace) and their
anomalies appear on the timeline when they finish. Files over 256 MB are not scanned unless --detect is given;
--no-detect never scans. --json prints {"url": ...} instead of a sentence. Ctrl-C stops.`,
  options: VIEW_OPTIONS,
  async run({ values, positionals: [path] }, io) {
    return view(path as string, values, io);
  },
});

type Values = ParsedCommand<typeof VIEW_OPTIONS>['values'];

async function view(path: string, values: Values, io: CliIo): Promise<ExitCode> {
  const files = [path, ...(values.compare === undefined ? [] : [values.compare])];
  const readers: TraceReader[] = [];
  const workers: Worker[] = [];
  const viewable: { name: string; file: ViewableFile }[] = [];
  try {
    for (const name of files) viewable.push({ name, file: viewableFile(name) });
    const opened = viewable.map(({ name, file }) => {
      const reader = openAoitrace(file.path);
      readers.push(reader);
      // What opening already tells (a cut, chunks out of order); the detectors' pass reports the rest.
      const known = reader.damageReport;
      if (known.length > 0) io.stderr.write(`${name}: cut or damaged:\n${damageLines(known).join('\n')}\n`);
      return { name, path: file.path, source: new FileDataSource(reader, { name }) };
    });
    const [main, compare] = opened;
    if (main === undefined) throw new TraceError(TraceErrorCode.InvalidArgument, 'no trace file given.');
    const viewer = await startViewer({
      source: main.source,
      ...(compare === undefined ? {} : { compare: compare.source }),
      port: values.port ?? 0,
    });
    if (values.json) io.stdout.write(`${JSON.stringify({ url: viewer.url })}\n`);
    else io.stdout.write(`aoi-trace viewer on ${viewer.url}\n`);
    for (const { name, path, source } of opened) {
      const worker = detectInBackground(name, path, values, io, source);
      if (worker) workers.push(worker);
    }
    await untilSignal();
    await viewer.close();
    return EXIT.ok;
  } finally {
    for (const worker of workers) await worker.terminate();
    for (const reader of readers) reader.close();
    for (const { file } of viewable) file.remove();
  }
}

interface DetectMessage {
  findings: AnomalyFinding[];
  counts: Record<string, number>;
  damage: DamageEntry[];
}

/** Starts the detectors on `file` (read from `path`, its .aoitrace) in a worker, unless the options or its size say not to. */
function detectInBackground(
  file: string,
  path: string,
  options: Values,
  io: CliIo,
  source: FileDataSource,
): Worker | undefined {
  if (options['no-detect']) return undefined;
  if (!options.detect && statSync(path).size > DETECT_BY_DEFAULT_MAX_BYTES) {
    io.stderr.write(`${file}: over 256 MB, detectors not run (add --detect to run them behind the viewer)\n`);
    return undefined;
  }
  io.stderr.write(`${file}: detectors running; anomalies appear on the timeline when they finish\n`);
  const worker = new Worker(new URL('../detect-worker.js', import.meta.url), {
    workerData: { file: path, maxFindings: 500 },
  });
  source.detectionStarted();
  worker.on('message', (message: DetectMessage) => {
    // The exact counts too: the page says "500 of 586 shown" when a detector found more than it kept.
    source.addAnomalies(message.findings, message.counts);
    const total = Object.values(message.counts).reduce((a, b) => a + b, 0);
    const damaged = message.damage.length > 0 ? ' in the ticks read; the file is cut or damaged:' : '';
    io.stderr.write(`${file}: detectors done, ${total} finding(s)${damaged}\n`);
    if (damaged) io.stderr.write(`${damageLines(message.damage).join('\n')}\n`);
  });
  worker.on('error', (error) => {
    source.detectionFailed(error.message);
    io.stderr.write(`${file}: detectors failed: ${error.message}\n`);
  });
  return worker;
}
