#!/usr/bin/env node
// Scale and memory curves of @lanes/aoi's grid (docs/benchmarks.md, "AOI scale curves"): ms per tick and bytes per
// entity for 1k .. 1M entities of the moving crowd, at the dense map's density (10k entities in [-1000, 1000]^2,
// the side scaled by sqrt(n / 10k)) and on the sparse map's fixed size (M = 10000). Every point runs in a fresh
// child process (bench/aoi/scale-point.js) so heaps don't pollute each other. Markdown on stdout.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineLine } from '../common/machine.js';
import { argsOrHelp, fmt } from './report.js';

const USAGE = `node bench/aoi/scale.js [--max-n n] [--series density,map]
  --max-n   largest entity count (default 1000000)
  --series  density: fixed density (the dense map's); map: fixed map size (the sparse map's M = 10000)`;

const SIZES = [1_000, 10_000, 100_000, 1_000_000];
/** Timed ticks per size: enough to include at least one neighbour-list rebuild (about every 21 ticks at step 0.6). */
const ticksFor = (/** @type {number} */ n) => (n <= 10_000 ? 100 : n <= 100_000 ? 50 : 25);
/** The dense map's side scaled to keep its density; 100k gives the issue's [-3163, 3163]^2. */
const densityHalf = (/** @type {number} */ n) => Math.ceil(1000 * Math.sqrt(n / 10_000));
const MAP_HALF = 10_000;

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** @param {string[]} argv */
function parse(argv) {
  const options = { maxN: 1_000_000, series: ['density', 'map'] };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1] ?? '';
    if (argv[i] === '--max-n') options.maxN = Number(value);
    else if (argv[i] === '--series') options.series = value.split(',');
    else throw new Error(`Unknown argument ${argv[i]}.\n${USAGE}`);
  }
  if (!(options.maxN >= 1000)) throw new Error(`--max-n must be >= 1000.\n${USAGE}`);
  for (const s of options.series) if (s !== 'density' && s !== 'map') throw new Error(`Unknown series ${s}.\n${USAGE}`);
  return options;
}

/** Runs one point in a fresh node; returns its JSON. */
function point(/** @type {number} */ n, /** @type {number} */ half) {
  const script = fileURLToPath(new URL('./scale-point.js', import.meta.url));
  const args = ['--expose-gc', '--max-old-space-size=8192', script, '--n', `${n}`, '--half', `${half}`];
  const child = spawnSync(process.execPath, [...args, '--ticks', `${ticksFor(n)}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`point n=${n} half=${half} failed (exit ${child.status}, ${child.signal})`);
  return JSON.parse(child.stdout);
}

function main() {
  const argv = argsOrHelp(USAGE);
  if (argv === null) return 0;
  const options = parse(argv);
  const sizes = SIZES.filter((n) => n <= options.maxN);
  /** @type {Map<string, any>} */
  const cache = new Map();
  const results = [];
  const out = [];
  for (const series of options.series) {
    const title =
      series === 'density'
        ? 'Fixed density (the dense map: 10k entities in [-1000, 1000]^2; side scaled by sqrt(n / 10k))'
        : `Fixed map size (the sparse map: [-${MAP_HALF}, ${MAP_HALF}]^2)`;
    out.push(`### ${title}`, '');
    out.push(
      '| Entities | M | ticks | ms/tick (wall) | CPU ms/tick | slowest tick ms | build ms | list pairs / entity | views / entity | ns per (entity + pair) | bytes / entity | of which list | of which event buffers | bytes per (entity + pair) |',
    );
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const n of sizes) {
      const half = series === 'density' ? densityHalf(n) : MAP_HALF;
      const key = `${n}/${half}`;
      if (!cache.has(key)) {
        log(`  ${series}: ${n} entities in [-${half}, ${half}]^2, ${ticksFor(n)} ticks ...`);
        cache.set(key, point(n, half));
      }
      const r = cache.get(key);
      const units = r.n + r.pairs;
      out.push(
        `| ${n.toLocaleString('en-US')} | ${half} | ${r.ticks} | ${fmt(r.msPerTick)} | ${fmt(r.cpuMsPerTick)} | ${fmt(r.maxMs)} | ${fmt(r.buildMs)} | ${fmt(r.pairs / r.n)} | ${fmt(r.views / r.n)} | ${fmt((r.cpuMsPerTick * 1e6) / units)} | ${Math.round(r.bytesPerEntity)} | ${Math.round(r.listBytes / r.n)} | ${Math.round(r.eventBytes / r.n)} | ${fmt(r.bytes / units)} |`,
      );
      results.push({ series, ...r });
    }
    out.push('');
  }
  out.push(machineLine());
  console.log(out.join('\n'));
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}aoi-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify({ options, results }, null, 2)}\n`);
  log(`results: ${file}`);
  return 0;
}

process.exitCode = main();
