// The example "shop" service: answers with who it is, and for /shop/checkout calls the cart service through the
// lane gateway, passing the lane headers on so the cart call stays in the request's lane.
import { createServer, request } from 'node:http';
import { identity, propagatedHeaders } from './lane-headers.js';

const port = Number(process.env.PORT ?? 4001);
const gateway = process.env.LANES_GATEWAY_URL;
const me = identity({ service: 'shop' });

function callCart(req) {
  return new Promise((resolve) => {
    if (!gateway) return resolve({ error: 'LANES_GATEWAY_URL is not set' });
    const call = request(`${gateway}/cart/items`, { headers: propagatedHeaders(req), timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve({ status: res.statusCode, body: text });
        }
      });
    });
    call.on('timeout', () => call.destroy(new Error('cart timed out')));
    call.on('error', (error) => resolve({ error: error.message }));
    call.end();
  });
}

const server = createServer(async (req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  const body = {
    ...me,
    path: req.url,
    tracestate: req.headers.tracestate ?? null,
    baggage: req.headers.baggage ?? null,
  };
  if (req.url?.startsWith('/shop/checkout')) body.cart = await callCart(req);
  res.writeHead(200, { 'content-type': 'application/json', 'x-lane': me.lane });
  res.end(`${JSON.stringify(body)}\n`);
});

server.listen(port, '127.0.0.1', () => console.log(`shop ${me.version} (lane ${me.lane}) on http://127.0.0.1:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
