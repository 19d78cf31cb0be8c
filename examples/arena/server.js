// The arena game server: HTTP status and metrics, one WebSocket per player on /arena/play, a fixed AOI tick that is
// recorded to a per-replica .aoitrace file and checked live by the detectors, and a drain on SIGTERM that moves
// every player to the lane's new replicas without dropping a connection.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { Arena } from './arena.js';
import { readConfig } from './config.js';
import { groundTruthErrors, metricsText, statusBody } from './metrics.js';
import { openTraceSinks } from './trace-sinks.js';

const PLAY_PATH = '/arena/play';

const config = readConfig();
const { writer, detection, sink } = openTraceSinks(config.traceFile);
const arena = new Arena(config, sink);
/** Open player connections: socket -> entity id. */
const sockets = new Map();
let draining = false;

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-lane': config.lane });
  res.end(`${JSON.stringify(body)}\n`);
}

const server = createServer((req, res) => {
  const path = new URL(/** @type {string} */ (req.url), 'http://arena').pathname;
  if (path === '/healthz') {
    // A draining replica says so, in case anything still checks it.
    res.writeHead(draining ? 503 : 200, { 'content-type': 'text/plain' }).end(draining ? 'draining\n' : 'ok\n');
  } else if (path === '/arena/status') {
    json(res, 200, statusBody(config, arena, detection, draining));
  } else if (path === '/arena/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText(arena, detection));
  } else {
    json(res, 404, { error: 'not found', path });
  }
});

const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(/** @type {string} */ (req.url), 'http://arena');
  if (url.pathname !== PLAY_PATH || draining) {
    // A draining replica takes no new player: the client retries and the gateway sends it to a new replica.
    const status = draining ? '503 Service Unavailable' : '404 Not Found';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => join(ws, req, url));
});

function join(ws, req, url) {
  const coordinate = (name) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : Number.NaN);
  const traceparent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
  const name = (url.searchParams.get('name') ?? '').slice(0, 40);
  const player = arena.addPlayer({ name, x: coordinate('x'), y: coordinate('y'), traceparent });
  sockets.set(ws, player.id);
  ws.send(
    JSON.stringify({
      type: 'welcome',
      id: player.id,
      name,
      lane: config.lane,
      revision: config.revision,
      replica: config.replicaId,
      version: config.version,
      x: player.x,
      y: player.y,
      aoi: { viewRadius: config.viewRadius, leaveRadius: config.leaveRadius, mapSize: config.mapSize },
    }),
  );
  // A player that joins while the replica drains is told to move on at once.
  if (draining) ws.send('{"type":"migrate"}');
  ws.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    if (message?.type === 'move') arena.movePlayer(player.id, Number(message.x), Number(message.y));
  });
  ws.on('close', () => {
    sockets.delete(ws);
    arena.removePlayer(player.id);
    if (draining && sockets.size === 0) finish();
  });
  ws.on('error', () => ws.terminate());
}

const loop = setInterval(() => {
  const changes = arena.tick();
  for (const [ws, id] of sockets) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(arena.viewMessage(id, changes.get(id))));
  }
}, config.tickMs);

/**
 * SIGTERM: the gateway already routes new connections to the new replicas, so each player is asked to migrate.
 * The client connects again through the gateway and only then closes this connection (make before break). The
 * world keeps ticking meanwhile, so players still see the game until they have moved.
 */
function drain(signal) {
  if (draining) return;
  draining = true;
  console.log(`arena: ${signal}: draining ${sockets.size} players`);
  server.close();
  for (const ws of sockets.keys()) ws.send('{"type":"migrate"}');
  if (sockets.size === 0) finish();
  else setTimeout(finish, config.drainTimeoutMs).unref();
}

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  clearInterval(loop);
  for (const ws of sockets.keys()) ws.close(1001, 'server stopping');
  arena.tick(); // records the last departures
  arena.close();
  writer.close();
  const report = detection.finish();
  console.log(
    `arena: stopped after ${arena.ticks} ticks, ${arena.events} events, ${sockets.size} players left behind; ` +
      `ground-truth errors ${groundTruthErrors(report)}, oscillation findings ${report.counts.oscillation}; trace ${config.traceFile}`,
  );
  setTimeout(() => process.exit(0), sockets.size > 0 ? 200 : 0);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => drain(signal));

server.listen(config.port, '127.0.0.1', () => {
  console.log(
    `arena ${config.version} (lane ${config.lane}, revision ${config.revision}) on http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}: ` +
      `view ${config.viewRadius}, leave ${config.leaveRadius}, trace ${config.traceFile}`,
  );
});
