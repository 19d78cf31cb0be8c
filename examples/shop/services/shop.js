// A tiny "shop" service for the examples: one replica of one lane. It says which lane and version answered,
// and echoes the lane headers it received so you can see the tag travel down the call chain.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 4001);
const lane = process.env.LANE ?? 'default';
const version = process.env.VERSION ?? '1.0.0';

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  const body = {
    service: 'shop',
    lane,
    version,
    replica: `127.0.0.1:${port}`,
    path: req.url,
    tracestate: req.headers.tracestate ?? null,
    baggage: req.headers.baggage ?? null,
  };
  res.writeHead(200, { 'content-type': 'application/json', 'x-lane': lane });
  res.end(`${JSON.stringify(body)}\n`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`shop ${version} (lane ${lane}) listening on http://127.0.0.1:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
