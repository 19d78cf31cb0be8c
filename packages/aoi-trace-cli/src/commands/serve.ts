import {
  type IngestServer,
  openTraceWriter,
  startIngestServer,
  TraceError,
  TraceErrorCode,
  type TraceHeader,
  type TraceSink,
  type TraceWriter,
} from '@lanes/aoi-trace';
import { LiveDataSource, type RunningViewer, startViewer } from '@lanes/aoi-viewer';
import { intOption, numberOption, parseCommand } from '../args.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { untilSignal } from '../signals.js';

const HELP = `Usage: aoi-trace serve [--port <n>] [--out <file.aoitrace>] [--bounds minX,minY,maxX,maxY] [--max-speed <v>] [--view] [--view-port <n>]

The live ingest endpoint: game servers (any language) stream aoi-trace NDJSON (docs/aoi-trace-ndjson.md) to
  POST /ingest             an NDJSON body; each bad line is rejected with its line, field and reason
  WebSocket /ingest        one or more lines per message; each acked or rejected
  GET  /status             session, last tick, entities, accepted and rejected counts
  GET  /debug/profile?seconds=N   a CPU profile of this process (.cpuprofile, open in Chrome DevTools)
Every line is validated before it changes anything; --bounds and --max-speed also reject out-of-bounds positions
and impossible speeds. --out records each session (file, file-2, ...). --view also serves the web viewer on the
live stream (the first session), on --view-port (default: any free port); the page follows the newest tick and
runs the anomaly detectors as ticks arrive. Binds 127.0.0.1. Stops on Ctrl-C.`;

export async function runServeCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{
    port?: string;
    out?: string;
    bounds?: string;
    'max-speed'?: string;
    view?: boolean;
    'view-port'?: string;
  }>(
    'serve',
    args,
    {
      port: { type: 'string', short: 'p' },
      out: { type: 'string', short: 'o' },
      bounds: { type: 'string' },
      'max-speed': { type: 'string' },
      view: { type: 'boolean' },
      'view-port': { type: 'string' },
    },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const writers: TraceWriter[] = [];
  const out = v.out;
  const sink =
    out === undefined
      ? undefined
      : (header: TraceHeader): TraceSink => {
          const path = writers.length === 0 ? out : out.replace(/(\.aoitrace)?$/, `-${writers.length + 1}$1`);
          const writer = openTraceWriter(path);
          writers.push(writer);
          io.stderr.write(`recording session "${header.source}" to ${path}\n`);
          return writer;
        };
  const maxSpeed = numberOption(v['max-speed'], 'max-speed', 0);
  const viewPort = intOption(v['view-port'], 'view-port');
  if (viewPort !== undefined && !v.view) {
    io.stderr.write(`aoi-trace serve: --view-port needs --view.\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const bounds = v.bounds === undefined ? undefined : parseBounds(v.bounds);
  const server = await startIngestServer({
    port: intOption(v.port, 'port') ?? 0,
    ...(sink === undefined ? {} : { sink }),
    ...(bounds === undefined ? {} : { bounds }),
    ...(maxSpeed === undefined ? {} : { maxSpeed }),
  });
  const viewer = v.view ? await startLiveViewer(server, viewPort ?? 0, bounds) : undefined;
  if (v.json) {
    io.stdout.write(`${JSON.stringify({ url: server.url, ingest: `${server.url}/ingest`, viewer: viewer?.url })}\n`);
  } else {
    io.stdout.write(`aoi-trace ingest on ${server.url}/ingest (status: ${server.url}/status)\n`);
    if (viewer) io.stdout.write(`aoi-trace viewer on ${viewer.url}\n`);
  }
  await untilSignal();
  await viewer?.close();
  await server.close();
  for (const writer of writers) writer.close();
  return EXIT.ok;
}

/** The viewer on the live stream: the first session's ticks, as they are accepted. */
async function startLiveViewer(
  server: IngestServer,
  port: number,
  worldBounds: [number, number, number, number] | undefined,
): Promise<RunningViewer> {
  // --bounds is the world's extent: the page fits the map to it (unless the producer records its own).
  const live = new LiveDataSource({ name: 'live', ...(worldBounds === undefined ? {} : { worldBounds }) });
  let sessions = 0;
  server.onSession((header) => {
    sessions++;
    if (sessions === 1) live.begin(header);
  });
  server.onTick((record) => {
    // The ingest validated the record against the same session, so the viewer's copy accepts it.
    if (sessions === 1) live.push(record);
  });
  return startViewer({ source: live, port, ingest: `${server.url}/ingest` });
}

function parseBounds(text: string): [number, number, number, number] {
  const parts = text.split(',').map(Number);
  if (parts.length !== 4 || !parts.every(Number.isFinite) || parts[0]! > parts[2]! || parts[1]! > parts[3]!) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `--bounds must be minX,minY,maxX,maxY with min <= max, got "${text}".`,
    );
  }
  return parts as [number, number, number, number];
}
