// Same-run A/B of this build's grid against another build (e.g. main's, to check that a refactor kept the speed),
// in CPU time of the whole process (all threads), so waits on a loaded machine do not count. Runs alternate which
// build goes first; reported are the per-run pairs' ratios (this build / peer) and their median.
//   node bench/aoi/peer-ab.js --peer <dist/index.js> [--runs 9]                    the sparse and dense rows of run.js
//   node bench/aoi/peer-ab.js --peer <dist/index.js> --rebuild 1 --workers 2 --n 100000 --runs 5 --ticks 5
//     every tick a rebuild (skin 1e-6), at the dense map's density: the rebuild's scans, serial or on workers;
//     --workers is a thread layout as in workers.js (worker-layout.js: n, or n:wait), given to a peer from before
//     2026-12-07 in the options that mean the same layout to it
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AoiWorld } from '@lanes/aoi';
import { makeScenario } from './scenario.js';
import { optionsFor, parseLayout, readsWorkersAsThreads } from './worker-layout.js';

/** @param {string[]} argv */
function parse(argv) {
  const options = { peer: '', runs: 9, rebuild: 0, workers: '0', n: 10_000, ticks: 100 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = (argv[i] ?? '').replace(/^--/, '');
    if (!(key in options)) throw new Error(`Unknown argument ${argv[i]}; see the header of bench/aoi/peer-ab.js.`);
    options[key] = key === 'peer' || key === 'workers' ? (argv[i + 1] ?? '') : Number(argv[i + 1]);
  }
  if (options.peer === '') throw new Error('--peer <another build dist/index.js> is required.');
  return options;
}

/**
 * One run: fresh world, add all, one untimed fill tick, then the timed ticks (bench/aoi/run-once.js, in CPU time).
 * @param {typeof AoiWorld} World
 * @param {ReturnType<typeof makeScenario>} scenario
 * @param {import('@lanes/aoi').WorldOptions} options
 */
async function once(World, scenario, options) {
  const world = new World({ algorithm: 'grid', mode: 'batched', ...options });
  const { xs, ys, n, ticks, radius } = scenario;
  for (let i = 0; i < n; i++) world.add(i, { x: xs[0][i], y: ys[0][i], viewRadius: radius });
  for (let i = 0; i < n; i++) world.move(i, xs[1][i], ys[1][i]);
  world.tick();
  let events = 0;
  const start = process.cpuUsage();
  for (let t = 2; t < ticks + 2; t++) {
    for (let i = 0; i < n; i++) world.move(i, xs[t][i], ys[t][i]);
    events += world.tick().count;
  }
  const used = process.cpuUsage(start);
  await world.close();
  return { ms: (used.user + used.system) / 1000 / ticks, events };
}

/** @param {number[]} values */
const median = (values) => [...values].sort((x, y) => x - y)[values.length >> 1] ?? 0;

const options = parse(process.argv.slice(2));
const peer = /** @type {{ AoiWorld: typeof AoiWorld }} */ (await import(pathToFileURL(resolve(options.peer)).href));
const layout = parseLayout(String(options.workers));
const peerLayout = optionsFor(layout, await readsWorkersAsThreads(peer.AoiWorld));
const rows = options.rebuild
  ? [[`rebuild every tick, ${layout.label}`, Math.round(1000 * Math.sqrt(options.n / 10_000))]]
  : [
      ['sparse', 10_000],
      ['dense', 1000],
    ];
for (const [label, half] of rows) {
  const scenario = makeScenario({ n: options.n, half: Number(half), ticks: options.ticks });
  const worldOptions = options.rebuild ? { skin: 1e-6, ...optionsFor(layout) } : {};
  const peerOptions = options.rebuild ? { skin: 1e-6, ...peerLayout } : {};
  const ours = [];
  const theirs = [];
  let same = true;
  for (let r = 0; r < options.runs; r++) {
    const a = r % 2 === 0 ? await once(AoiWorld, scenario, worldOptions) : null;
    const b = await once(peer.AoiWorld, scenario, peerOptions);
    const a2 = a ?? (await once(AoiWorld, scenario, worldOptions));
    ours.push(a2.ms);
    theirs.push(b.ms);
    if (a2.events !== b.events) same = false;
  }
  const ratios = ours.map((v, i) => v / (theirs[i] ?? 1));
  const fmt = (/** @type {number[]} */ values, digits = 2) => values.map((v) => v.toFixed(digits)).join(' ');
  console.log(
    `${label}, n ${options.n}, ${options.ticks} ticks: this/peer CPU per tick, median of ${options.runs} paired runs ${median(ratios).toFixed(3)} [${fmt(ratios, 3)}]; this ${median(ours).toFixed(2)} ms [${fmt(ours)}], peer ${median(theirs).toFixed(2)} ms [${fmt(theirs)}]; events ${same ? 'identical' : 'DIFFER'}`,
  );
}
