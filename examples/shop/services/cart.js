// The example "cart" service: the downstream end of the chain. It answers with who it is and the lane headers it got.
import { createServer } from 'node:http';
import { identity } from './lane-headers.js';

const port = Number(process.env.PORT ?? 4101);
const me = identity({ service: 'cart' });

const server = createServer((req, res) => {
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
  res.writeHead(200, { 'content-type': 'application/json', 'x-lane': me.lane });
  res.end(`${JSON.stringify(body)}\n`);
});

server.listen(port, '127.0.0.1', () => console.log(`cart ${me.version} (lane ${me.lane}) on http://127.0.0.1:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
