// `npm run demo:gateway`: the lane gateway on its own, in front of real replica processes of the example shop service, until Ctrl-C.
// Each replica listed in gateway.json becomes a child process on its port; the gateway is the `lanes` CLI.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('./gateway.json', import.meta.url));
const shop = fileURLToPath(new URL('../shop/services/shop.js', import.meta.url));
const lanesBin = fileURLToPath(new URL('../../packages/lanes-cli/bin/lanes.js', import.meta.url));
const config = JSON.parse(readFileSync(configFile, 'utf8'));

const children = [];
function start(args, env) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

for (const [lane, { replicas }] of Object.entries(config.services.shop.lanes)) {
  for (const url of replicas) {
    start([shop], { PORT: new URL(url).port, LANES_LANE: lane, VERSION: lane === 'default' ? '1.0.0' : '1.1.0-rc' });
  }
}
const gateway = start([lanesBin, 'gateway', '--config', configFile]);

const { port } = config.listen;
setTimeout(() => {
  console.log(`
Try it:
  curl -s http://127.0.0.1:${port}/                                  # default lane (or gray for ~10% of users)
  curl -s -H 'tracestate: ctx=lane:gray' http://127.0.0.1:${port}/   # the gray lane, by tag
  curl -s -H 'baggage: lane=gray' http://127.0.0.1:${port}/          # the same, W3C Baggage carrier
  curl -s -H 'x-user-id: alice' http://127.0.0.1:${port}/            # sticky weighted split
  curl -s http://127.0.0.1:${config.admin.port}/metrics                          # per-lane Prometheus metrics
Edit examples/gateway/gateway.json and the gateway reloads it. Ctrl-C stops everything.
`);
}, 800).unref();

function stopAll() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
gateway.on('exit', (code) => {
  stopAll();
  process.exitCode = code ?? 1;
});
