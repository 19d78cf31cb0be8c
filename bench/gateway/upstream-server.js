// One upstream lane, run as its own process (forked by upstreams.js): `node upstream-server.js <lane>`.
// Each lane gets a process so the proxies under test never share an event loop with what they forward to, and
// the 50/50 load mix splits the upstream work over two processes instead of one.
import http from 'node:http';

const lane = process.argv[2] ?? 'default';

// A fixed 64-byte JSON body: small enough that the benchmark measures per-request proxy overhead, not bandwidth.
const BODY_BYTES = 64;
const prefix = `{"lane":"${lane}","pad":"`;
const suffix = '"}';
const body = Buffer.from(prefix + 'x'.repeat(BODY_BYTES - prefix.length - suffix.length) + suffix);
const responseHeaders = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  // Lets the routing check see which lane a request went through a proxy to.
  'x-upstream-lane': lane,
};

// Counted so the harness can check, after each measured run, that the load really was split between lanes.
let served = 0;

const server = http.createServer((req, res) => {
  served++;
  req.resume();
  res.writeHead(200, responseHeaders);
  res.end(body);
});
// Longer than the idle timeouts of nginx (60 s) and undici (4 s) so the proxy side always closes an idle
// connection first; otherwise a proxy can reuse a socket the upstream is closing and count a spurious error.
server.keepAliveTimeout = 120_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (/** @type {any} */ message) => {
  if (message?.type === 'count') process.send?.({ type: 'count', served });
});
// The harness went away (even by SIGKILL): do not linger.
process.on('disconnect', () => process.exit(0));
