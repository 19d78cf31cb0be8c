import {
  type IngestServer,
  openTraceWriter,
  type SessionEvent,
  startIngestServer,
  TraceError,
  TraceErrorCode,
  type TraceHeader,
  type TraceWriter,
} from '@lanes/aoi-trace';
import { LiveDataSource, type RunningViewer, startViewer } from '@lanes/aoi-viewer';
import { type CliIo, defineCommand, EXIT, type ExitCode, type OptionSpecs, type ParsedCommand } from '@lanes/cli-kit';
import { untilSignal } from '../signals.js';

const SERVE_OPTIONS = {
  port: { type: 'integer', short: 'p', value: '<n>', default: 'any free port', description: 'the ingest port' },
  out: {
    type: 'string',
    short: 'o',
    value: '<file.aoitrace>',
    description: 'record each session (file, file-2, ...)',
  },
  bounds: {
    type: 'string',
    value: 'minX,minY,maxX,maxY',
    description: "the world's extent: positions outside are rejected",
  },
  'max-speed': { type: 'number', value: '<v>', description: 'a faster move (units per tick) is rejected' },
  'max-sessions': { type: 'integer', value: '<n>', default: '4', description: 'sessions open at once' },
  'idle-timeout': {
    type: 'number',
    value: '<seconds>',
    default: '300; 0 never',
    description: 'close a session without a line for this long',
  },
  view: { type: 'boolean', description: 'also serve the web viewer on the live stream' },
  'view-port': {
    type: 'integer',
    value: '<n>',
    default: 'any free port',
    description: "the viewer's port (needs --view)",
  },
} as const satisfies OptionSpecs;

export const serveCommand = defineCommand({
  name: 'serve',
  summary:
    'live ingest endpoint (HTTP and WebSocket) with a CPU-profile hook, and with --view the live stream in the web viewer',
  description: `The live ingest endpoint: game servers (any language) stream aoi-trace NDJSON (docs/aoi-trace-ndjson.md) to
  POST /ingest             an NDJSON body; each bad line is rejected with its line, field and reason
  WebSocket /ingest        one or more lines per message; each acked or rejected
  GET  /status             session, last tick, entities, accepted and rejected counts
  GET  /debug/profile?seconds=N   a CPU profile of this process (.cpuprofile, open in Chrome DevTools)
Every line is validated before it changes anything; --bounds and --max-speed also reject out-of-bounds positions
and impossible speeds. Each distinct header is a session with its own world; --out records each session (file,
file-2, ...). At most --max-sessions are open: a new header beyond it closes the least recently active one. A
session without a line for --idle-timeout seconds is closed. A closed session's file is complete, and its
producer's next line is refused with SESSION_CLOSED and the reason. --view also serves the web viewer on the live
stream (the first session); the page follows the newest tick and runs the anomaly detectors as ticks arrive.
Binds 127.0.0.1. Stops on Ctrl-C.`,
  options: SERVE_OPTIONS,
  async run({ values }, io) {
    return serve(values, io);
  },
});

async function serve(v: ParsedCommand<typeof SERVE_OPTIONS>['values'], io: CliIo): Promise<ExitCode> {
  const out = v.out;
  // The server closes each session's writer when the session ends (and all of them when it stops).
  const files = new Map<number, string>();
  const sink =
    out === undefined
      ? undefined
      : (header: TraceHeader, session: number): TraceWriter => {
          const path = session === 1 ? out : out.replace(/(\.aoitrace)?$/, `-${session}$1`);
          const writer = openTraceWriter(path);
          files.set(session, path);
          io.stderr.write(`recording session #${session} "${header.source}" to ${path}\n`);
          return writer;
        };
  const maxSpeed = v['max-speed'];
  const idleTimeout = v['idle-timeout'];
  const viewPort = v['view-port'];
  if (viewPort !== undefined && !v.view) {
    io.stderr.write(`aoi-trace serve: --view-port needs --view.\n`);
    return EXIT.usage;
  }
  const bounds = v.bounds === undefined ? undefined : parseBounds(v.bounds);
  const server = await startIngestServer({
    port: v.port ?? 0,
    ...(sink === undefined ? {} : { sink }),
    ...(bounds === undefined ? {} : { bounds }),
    ...(maxSpeed === undefined ? {} : { maxSpeed }),
    ...(v['max-sessions'] === undefined ? {} : { maxSessions: v['max-sessions'] }),
    ...(idleTimeout === undefined ? {} : { idleTimeoutMs: idleTimeout * 1000 }),
  });
  server.onSessionEvent((event) => {
    const line = describeSessionEvent(event, files.get(event.session.id));
    if (line !== undefined) io.stderr.write(`${line}\n`);
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
  return EXIT.ok;
}

/** What the operator sees on stderr when a session ends or stops recording. */
function describeSessionEvent(event: SessionEvent, file: string | undefined): string | undefined {
  const name = `session #${event.session.id} "${event.session.header.source}"`;
  if (event.type === 'closed') {
    const recorded = file === undefined ? '' : `; ${file} is complete up to tick ${event.lastTick}`;
    return `${name} closed: ${event.reason}${recorded}`;
  }
  if (event.type === 'recording-stopped') return `${name}: recording stopped: ${event.reason}`;
  return undefined;
}

/** The viewer on the live stream: the first session's ticks, as they are accepted. */
async function startLiveViewer(
  server: IngestServer,
  port: number,
  worldBounds: [number, number, number, number] | undefined,
): Promise<RunningViewer> {
  // --bounds is the world's extent: the page fits the map to it (unless the producer records its own).
  const live = new LiveDataSource({ name: 'live', ...(worldBounds === undefined ? {} : { worldBounds }) });
  let shown: number | undefined;
  server.onSession((header, session) => {
    if (shown !== undefined) return;
    shown = session.id;
    live.begin(header);
  });
  server.onTick((record, _state, session) => {
    // The ingest validated the record against the same session, so the viewer's copy accepts it.
    if (session.id === shown) live.push(record);
  });
  return startViewer({ source: live, port, ingest: `${server.url}/ingest` });
}

function parseBounds(text: string): [number, number, number, number] {
  const parts = text.split(',').map(Number);
  const [minX, minY, maxX, maxY, ...more] = parts;
  if (
    minX === undefined ||
    minY === undefined ||
    maxX === undefined ||
    maxY === undefined ||
    more.length > 0 ||
    !parts.every(Number.isFinite) ||
    minX > maxX ||
    minY > maxY
  ) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `--bounds must be minX,minY,maxX,maxY with min <= max, got "${text}".`,
    );
  }
  return [minX, minY, maxX, maxY];
}
