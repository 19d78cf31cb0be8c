// One simulated player: a random walk at 10 Hz over WebSocket, following the server's migrate requests with a new
// connection through the gateway before closing the old one (make before break), and counting everything that
// would have hurt a real player.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** @typedef {WebSocket & { clientClosing?: boolean, failed?: string }} SimSocket A connection, with why it failed and whether this client closed it. */

const MOVE_MS = 100;
const RETRY_MS = 100;

function traceparent() {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export class SimPlayer {
  /**
   * `playUrl`: ws://gateway/arena/play; `lane`: the lane to tag the upgrade with, or undefined for untagged;
   * `random`: () => [0, 1); `step`: walk distance per move; `mapSize`: where to walk; `statusUrl` and `pollMs`:
   * the HTTP page the player also reads now and then (a lobby screen), 0 for never.
   */
  constructor({ playUrl, statusUrl, pollMs, name, lane, random, step, mapSize }) {
    this.playUrl = playUrl;
    this.statusUrl = statusUrl;
    this.pollMs = pollMs;
    this.name = name;
    this.lane = lane;
    this.random = random;
    this.step = step;
    this.mapSize = mapSize;
    this.x = random() * mapSize;
    this.y = random() * mapSize;
    this.heading = random() * 2 * Math.PI;
    this.current = undefined;
    this.migrating = false;
    this.ending = false;
    /** Connections not closed yet, connecting ones included. */
    this.sockets = new Set();
    /** Connections that completed their handshake and are not closed. */
    this.open = new Set();
    this.everConnected = false;
    this.stats = {
      connectionsOpened: 0,
      migrations: 0,
      abnormalCloses: 0,
      messages: 0,
      withoutConnection: false,
      statusRequests: 0,
      statusErrors: 0,
    };
    this.problems = [];
    this.servedBy = new Map();
  }

  start() {
    this.connect();
    this.mover = setInterval(() => this.move(), MOVE_MS);
    // Spread the players' polls over the interval instead of sending them all at once.
    if (this.pollMs > 0) {
      this.pollStart = setTimeout(() => {
        this.poller = setInterval(() => this.poll(), this.pollMs);
      }, this.random() * this.pollMs);
    }
  }

  async poll() {
    /** @type {Record<string, string>} */
    const headers = this.lane ? { tracestate: `ctx=lane:${this.lane}` } : {};
    this.stats.statusRequests += 1;
    try {
      const response = await fetch(this.statusUrl, { headers, signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status !== 200) this.statusProblem(`status answered ${response.status}`);
    } catch (error) {
      this.statusProblem(`status request failed: ${/** @type {Error} */ (error).message}`);
    }
  }

  statusProblem(text) {
    this.stats.statusErrors += 1;
    if (this.problems.length < 5) this.problems.push(`${this.name}: ${text}`);
  }

  headers() {
    /** @type {Record<string, string>} */
    const headers = { traceparent: traceparent() };
    if (this.lane) headers.tracestate = `ctx=lane:${this.lane}`;
    return headers;
  }

  url() {
    const query = new URLSearchParams({ name: this.name, x: this.x.toFixed(1), y: this.y.toFixed(1) });
    return `${this.playUrl}?${query}`;
  }

  /** Opens a connection; it becomes the current one when its welcome arrives, replacing the one before. */
  connect() {
    const ws = /** @type {SimSocket} */ (new WebSocket(this.url(), { headers: this.headers() }));
    ws.clientClosing = false;
    this.sockets.add(ws);
    ws.on('open', () => {
      this.open.add(ws);
      this.stats.connectionsOpened += 1;
      this.everConnected = true;
    });
    ws.on('message', (data) => this.receive(ws, data));
    ws.on('unexpected-response', (_req, res) => {
      ws.failed = `upgrade answered ${res.statusCode}`;
      ws.terminate();
    });
    ws.on('error', (error) => {
      ws.failed ??= error.message;
    });
    ws.on('close', (code) => this.closed(ws, code));
    return ws;
  }

  receive(ws, data) {
    this.stats.messages += 1;
    let message;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    if (message.type === 'welcome') {
      const key = `${message.lane}@r${message.revision}`;
      this.servedBy.set(key, (this.servedBy.get(key) ?? 0) + 1);
      const previous = this.current;
      this.current = ws;
      if (previous && previous !== ws) {
        this.stats.migrations += 1;
        this.migrating = false;
        this.closeOwn(previous);
      }
    } else if (message.type === 'tick' && ws === this.current) {
      [this.x, this.y] = message.self;
    } else if (message.type === 'migrate' && ws === this.current && !this.migrating && !this.ending) {
      this.migrating = true;
      this.connect();
    }
  }

  closeOwn(ws) {
    ws.clientClosing = true;
    ws.close(1000, this.ending ? 'done' : 'migrated');
  }

  closed(ws, code) {
    this.sockets.delete(ws);
    const wasOpen = this.open.delete(ws);
    if (!ws.clientClosing) {
      this.stats.abnormalCloses += 1;
      if (this.problems.length < 5)
        this.problems.push(`${this.name}: ${ws.failed ?? `closed by the server (${code})`}`);
    }
    if (ws === this.current) this.current = undefined;
    if (this.ending) return;
    if (wasOpen && this.open.size === 0) this.stats.withoutConnection = true;
    // A migration target that failed is tried again; a lost player reconnects so the load goes on.
    if (!wasOpen && this.migrating) setTimeout(() => !this.ending && this.connect(), RETRY_MS);
    else if (this.open.size === 0 && !this.migrating) setTimeout(() => !this.ending && this.connect(), RETRY_MS);
  }

  move() {
    const ws = this.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    this.heading += (this.random() - 0.5) * 1.2;
    const x = this.x + Math.cos(this.heading) * this.step;
    const y = this.y + Math.sin(this.heading) * this.step;
    // Turn around at the walls rather than pressing against them.
    if (x < 0 || y < 0 || x > this.mapSize || y > this.mapSize) this.heading += Math.PI;
    ws.send(JSON.stringify({ type: 'move', x, y }));
    this.x = Math.min(this.mapSize, Math.max(0, x));
    this.y = Math.min(this.mapSize, Math.max(0, y));
  }

  /** Stops walking and closes every connection; resolves when all are closed (or after `timeoutMs`). */
  async stop(timeoutMs = 3000) {
    this.ending = true;
    clearInterval(this.mover);
    clearTimeout(this.pollStart);
    clearInterval(this.poller);
    if (!this.everConnected) this.stats.withoutConnection = true;
    const pending = [];
    for (const ws of this.sockets) {
      pending.push(new Promise((resolve) => ws.once('close', resolve)));
      // A connection still in its handshake is aborted; ws reports that as an error, which is ours, not the server's.
      if (ws.readyState === WebSocket.CONNECTING) {
        ws.clientClosing = true;
        ws.terminate();
      } else this.closeOwn(ws);
    }
    const timer = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all(pending), timer]);
    for (const ws of this.sockets) ws.terminate();
  }
}
