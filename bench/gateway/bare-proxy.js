// The "bare proxy" peer: node:http in front of undici Pools, with the same header routing as the gateway and
// nothing else (no config, no logging, no carriers but tracestate). It is what a minimal Node proxy costs, so
// the gateway's ratio to it is the price of its features.
// `node bare-proxy.js <defaultOrigin> <grayOrigin> [workers]`; with workers > 1 it runs under node:cluster.
import cluster from 'node:cluster';
import http from 'node:http';
import { Pool } from 'undici';

const [defaultOrigin, grayOrigin, workersArg = '1'] = process.argv.slice(2);
const workers = Number(workersArg);
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/**
 * Copies instead of `delete`-ing, which would push V8 into slow dictionary objects on every request.
 * @param {Record<string, string | string[] | undefined>} headers
 */
function endToEnd(headers) {
  /** @type {Record<string, string | string[] | undefined>} */
  const copy = {};
  for (const name in headers) if (!HOP_BY_HOP.includes(name)) copy[name] = headers[name];
  return copy;
}

function serve() {
  const lanes = {
    default: new Pool(defaultOrigin, { connections: 64 }),
    gray: new Pool(grayOrigin, { connections: 64 }),
  };
  const server = http.createServer(async (req, res) => {
    const lane = String(req.headers.tracestate ?? '').includes('ctx=lane:gray') ? lanes.gray : lanes.default;
    const request = {
      path: req.url ?? '/',
      method: /** @type {import('undici').Dispatcher.HttpMethod} */ (req.method),
      headers: endToEnd(req.headers),
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
    };
    try {
      // stream() writes the upstream body straight into `res`. Measured here, it serves 2.4x the req/s of
      // request() + stream/promises pipeline(), so the peer is a fast minimal proxy, not a strawman.
      await lane.stream(request, ({ statusCode, headers }) => {
        res.writeHead(statusCode, endToEnd(headers));
        return res;
      });
    } catch {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    }
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (cluster.isPrimary) process.send?.({ type: 'listening', port: typeof address === 'object' && address?.port });
  });
}

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  // Workers that listen on port 0 under cluster share one port, chosen once by the primary.
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) process.send?.({ type: 'listening', port: address.port });
  });
  // A dead worker would silently halve capacity; better to fail the target.
  cluster.on('exit', () => process.exit(1));
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  serve();
}
// The harness went away (even by SIGKILL): do not linger. Cluster workers follow their primary.
process.on('disconnect', () => process.exit(0));
