// `npm start`: the whole local platform (shop, cart and the arena game server, each with a gray lane) until Ctrl-C.
// Runs `lanes up` on this folder, then prints where to look: the gateway, `lanes status`, and the viewer command
// for each arena lane's trace, read from the arena replicas themselves.
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// The lanes command of the installed @lanes/cli (its package entry is dist/index.js, the command bin/lanes.js).
const lanesBin = join(dirname(fileURLToPath(import.meta.resolve('@lanes/cli'))), '..', 'bin', 'lanes.js');
const project = relative(process.cwd(), here) || '.';

const up = spawn(process.execPath, [lanesBin, 'up', '--project', project], { stdio: ['inherit', 'pipe', 'inherit'] });
createInterface({ input: up.stdout }).on('line', (line) => {
  console.log(line);
  const ready = /^lanes platform up: (\S+)/.exec(line);
  if (ready) printGuide(ready[1]).catch((error) => console.error(`start: ${error.message}`));
});

/** The trace file of the arena replica that answers for `lane` (a request tagged with it, or untagged). */
async function traceOf(gateway, lane) {
  /** @type {Record<string, string>} */
  const headers = lane === 'default' ? {} : { tracestate: `ctx=lane:${lane}` };
  const response = await fetch(`${gateway}/arena/status`, { headers });
  const status = /** @type {{ lane: string, traceFile: string }} */ (await response.json());
  return status.lane === lane ? relative(process.cwd(), status.traceFile) : undefined;
}

async function printGuide(gateway) {
  const [defaultTrace, grayTrace] = await Promise.all([traceOf(gateway, 'default'), traceOf(gateway, 'gray')]);
  const lines = [
    '',
    `Gateway:       ${gateway}`,
    `Shop:          curl -s ${gateway}/shop/checkout   (tagged: -H 'tracestate: ctx=lane:gray')`,
    `Arena status:  curl -s ${gateway}/arena/status     (metrics: ${gateway}/arena/metrics)`,
    `Lanes status:  npx lanes status --project ${project}`,
    `Players:       node examples/arena/load.js --url ${gateway} --players 40 --seconds 20 --gray 0.5`,
    `Promote:       npx lanes promote --project ${project} arena gray`,
  ];
  if (defaultTrace) lines.push(`Trace default: npx aoi-trace view ${defaultTrace}`);
  if (grayTrace) lines.push(`Trace gray:    npx aoi-trace view ${grayTrace}`);
  if (defaultTrace && grayTrace) lines.push(`Diff them:     npx aoi-trace view ${defaultTrace} --compare ${grayTrace}`);
  lines.push('Tutorial:      docs/arena-tutorial.md', '');
  console.log(lines.join('\n'));
}

// Ctrl-C in a terminal reaches `lanes up` too (same process group), but a signal sent to this process alone must
// be passed on. SIGTERM, not a second SIGINT: lanes up handles each once, and both mean "stop everything".
process.on('SIGINT', () => up.kill('SIGTERM'));
process.on('SIGTERM', () => up.kill('SIGTERM'));
up.on('exit', (code) => process.exit(code ?? 1));
