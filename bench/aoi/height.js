#!/usr/bin/env node
// Height (docs/aoi.md, "Height"; docs/benchmarks.md, "AOI engine: height"): what the vertical extent costs on the
// dense map (10,000 entities in [-1000, 1000]^2, radius 100, step 0.6, seed 12345), one process, runs interleaved.
//   2d         the default grid, no entity with height (the 2D loops)
//   3d-flat    the same world with height switched on (every z 0, no vertical limit): the same events, so the
//              difference is the price of the vertical test
//   3d-floors  z on 4 floors 10 apart, view half-height 5: the cylinders cut the pairs
//   baseline   (with --baseline) the 2d engine of another build, e.g. the commit before height: the cost of the
//              feature to worlds that do not use it
import { pathToFileURL } from 'node:url';
import { AoiWorld } from '@lanes/aoi';
import { makeScenario } from './scenario.js';

const USAGE = `node bench/aoi/height.js [--runs n] [--baseline path/to/aoi/dist/index.js]
  --runs      runs per configuration, interleaved, median reported (default 5)
  --baseline  an @lanes/aoi build to time as 'baseline' (the 2d case), e.g. one built from main`;

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

function parse(argv) {
  const options = { runs: 5, baseline: /** @type {string | null} */ (null) };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--runs') options.runs = Number(argv[i + 1]);
    else if (argv[i] === '--baseline') options.baseline = argv[i + 1] ?? '';
    else throw new Error(`Unknown argument ${argv[i]}.\n${USAGE}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error(`--runs must be >= 1.\n${USAGE}`);
  return options;
}

/**
 * @param {typeof AoiWorld} World
 * @param {'2d' | 'flat' | 'floors'} kind
 * @param {ReturnType<typeof makeScenario>} s
 */
function runOnce(World, kind, s) {
  const world = new World({ algorithm: 'grid', mode: 'batched' });
  const height = (i) => (kind === 'flat' ? { z: 0 } : kind === 'floors' ? { z: (i % 4) * 10, viewHeight: 5 } : {});
  for (let i = 0; i < s.n; i++) world.add(i, { x: s.xs[0][i], y: s.ys[0][i], viewRadius: s.radius, ...height(i) });
  const tick = (t) => {
    const xs = s.xs[t];
    const ys = s.ys[t];
    for (let i = 0; i < s.n; i++) world.move(i, xs[i], ys[i]);
    return world.tick();
  };
  tick(1);
  let checksum = 0;
  const start = process.hrtime.bigint();
  for (let t = 2; t < s.ticks + 2; t++) {
    const batch = tick(t);
    checksum += batch.enterCount * 3 + batch.leaveCount;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { msPerTick: ms / s.ticks, checksum };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const options = parse(process.argv.slice(2));
  const scenario = makeScenario({ half: 1000 });
  /** @type {Array<{ id: string, World: typeof AoiWorld, kind: '2d' | 'flat' | 'floors' }>} */
  const configs = [
    { id: '2d', World: AoiWorld, kind: '2d' },
    { id: '3d-flat', World: AoiWorld, kind: 'flat' },
    { id: '3d-floors', World: AoiWorld, kind: 'floors' },
  ];
  if (options.baseline !== null) {
    const { AoiWorld: Baseline } = await import(pathToFileURL(options.baseline).href);
    configs.unshift({ id: 'baseline', World: Baseline, kind: '2d' });
  }
  const results = configs.map((c) => ({ ...c, times: /** @type {number[]} */ ([]), checksum: 0 }));
  for (let r = 0; r < options.runs; r++) {
    for (const entry of results) {
      const { msPerTick, checksum } = runOnce(entry.World, entry.kind, scenario);
      entry.times.push(msPerTick);
      entry.checksum = checksum;
      log(`  run ${r + 1} ${entry.id}: ${msPerTick.toFixed(2)} ms/tick`);
    }
  }
  const flat = results.find((entry) => entry.id === '2d');
  if (flat === undefined) throw new Error('no 2d row');
  const base = median(flat.times);
  let failed = false;
  console.log('| engine | ms/tick (median) | vs 2d | runs | checksum |');
  console.log('|---|---:|---:|---|---:|');
  for (const { id, kind, times, checksum } of results) {
    const m = median(times);
    // Without vertical limits the events are the 2D ones: a different checksum is a bug.
    const mismatch = kind !== 'floors' && checksum !== flat.checksum;
    failed ||= mismatch;
    const runs = times.map((t) => t.toFixed(2)).join(', ');
    console.log(
      `| ${id} | ${m.toFixed(2)} | ${(m / base).toFixed(3)}x | ${runs} | ${checksum}${mismatch ? ' MISMATCH' : ''} |`,
    );
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    log(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
