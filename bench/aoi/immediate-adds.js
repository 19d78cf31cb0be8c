#!/usr/bin/env node
// Immediate-mode adds into a populated world (docs/benchmarks.md, "Immediate-mode adds"): n entities of the moving
// crowd at the dense map's density added one call at a time (each add computes and delivers its events before it
// returns), then `--extra` more adds into the full world. Reports ms per add and the grid's full rebuilds (an add
// used to force one each). Peer: the same adds in batched mode, one tick, in the same run.
import { AoiWorld } from '@lanes/aoi';
import { MovingCrowd } from '@lanes/aoi-trace';

const USAGE = 'node bench/aoi/immediate-adds.js [--n 10000] [--extra 1000]';

function parse(/** @type {string[]} */ argv) {
  const options = { n: 10_000, extra: 1_000 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--n') options.n = Number(argv[i + 1]);
    else if (argv[i] === '--extra') options.extra = Number(argv[i + 1]);
    else throw new Error(`Unknown argument ${argv[i]}.\n${USAGE}`);
  }
  if (!(Number.isInteger(options.n) && options.n >= 1 && options.n <= 1e6)) throw new Error(`--n: 1..1e6.\n${USAGE}`);
  if (!(Number.isInteger(options.extra) && options.extra >= 1 && options.extra <= options.n))
    throw new Error(`--extra: 1..n.\n${USAGE}`);
  return options;
}

function main() {
  const { n, extra } = parse(process.argv.slice(2));
  const total = n + extra;
  const crowd = new MovingCrowd({
    n: total,
    half: Math.ceil(1000 * Math.sqrt(total / 10_000)),
    seed: 12345,
    step: 0.6,
  });
  const { x, y } = crowd;
  let events = 0;
  const listener = { enter: () => events++, leave: () => events++ };
  const rows = [];
  for (const mode of /** @type {const} */ (['immediate', 'batched'])) {
    const world = new AoiWorld({ mode, listener });
    const grid = /** @type {any} */ (world).impl;
    events = 0;
    let start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) world.add(i, { x: x[i], y: y[i], viewRadius: 100 });
    world.tick();
    const fillMs = Number(process.hrtime.bigint() - start) / 1e6;
    const fillRebuilds = grid.rebuilds;
    start = process.hrtime.bigint();
    for (let i = n; i < total; i++) world.add(i, { x: x[i], y: y[i], viewRadius: 100 });
    world.tick();
    const extraMs = Number(process.hrtime.bigint() - start) / 1e6;
    rows.push(
      `| ${mode} | ${fillMs.toFixed(0)} | ${fillRebuilds} | ${((extraMs * 1000) / extra).toFixed(1)} | ${grid.rebuilds - fillRebuilds} | ${events} |`,
    );
  }
  console.log(`${n} adds, then ${extra} more into the full world (dense-map density, radius 100)\n`);
  console.log('| Mode | fill ms | fill rebuilds | µs per extra add | rebuilds during extra adds | events |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(rows.join('\n'));
}

main();
