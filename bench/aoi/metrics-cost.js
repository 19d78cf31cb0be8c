#!/usr/bin/env node
// What the seed's health indicators cost the engine (docs/benchmarks.md, "AOI engine: metrics cost"): the grid with
// `metrics: false` (the peer), `metrics: true`, and `metrics: true` plus `stats()` after every tick, in rotating
// order within each round so that load changes on a shared machine hit all three alike. The markdown on stdout.
import { AoiWorld } from '@lanes/aoi';
import { machineLine } from '../common/machine.js';
import { engines } from './engines.js';
import { runOnce } from './run-once.js';
import { makeScenario } from './scenario.js';

const USAGE = 'node bench/aoi/metrics-cost.js [--rounds n]   (default 9 rounds per map)';
const MAPS = { sparse: 10_000, dense: 1_000 };
const IDS = ['grid', 'grid-metrics', 'grid-stats'];

/** @param {number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Mean cost of one call of `fn`, in nanoseconds, over `n` calls (median of 5 batches). */
function nsPerCall(fn, n) {
  const batches = [];
  for (let b = 0; b < 5; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    batches.push(Number(process.hrtime.bigint() - start) / n);
  }
  return median(batches);
}

function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) return void console.log(USAGE);
  const rounds = argv[0] === '--rounds' ? Number(argv[1]) : 9;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(USAGE);
  const specs = IDS.map((id) => {
    const spec = engines.find((e) => e.id === id);
    if (spec === undefined) throw new Error(`bench/aoi/engines.js has no engine ${id}`);
    return spec;
  });
  const out = [];
  for (const [map, half] of Object.entries(MAPS)) {
    const scenario = makeScenario({ half });
    /** @type {Record<string, number[]>} */
    const times = Object.fromEntries(IDS.map((id) => [id, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < specs.length; k++) {
        const spec = /** @type {import('./engines.js').EngineSpec} */ (specs[(r + k) % specs.length]);
        times[spec.id].push(runOnce(spec, scenario).msPerTick);
      }
      process.stderr.write(`  ${map} round ${r + 1}/${rounds}\n`);
    }
    // The added work measured directly: one stats() on this map's 10,000 entities.
    const world = new AoiWorld({ mode: 'batched', metrics: true });
    for (let i = 0; i < scenario.n; i++) world.add(i, { x: scenario.xs[0][i], y: scenario.ys[0][i], viewRadius: 100 });
    world.tick();
    const statsMs = nsPerCall(() => world.stats(), 50) / 1e6;
    const base = median(times.grid);
    out.push(`### ${map}: M = ${half}, ${scenario.n} entities, ${scenario.ticks} ticks, ${rounds} rounds`, '');
    out.push(
      '| Engine | ms/tick (median) | ratio of medians | median of per-round ratios |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const spec of specs) {
      const ms = median(times[spec.id]);
      const perRound = median(times[spec.id].map((t, r) => t / times.grid[r]));
      out.push(`| ${spec.label} | ${ms.toFixed(2)} | ${(ms / base).toFixed(2)}x | ${perRound.toFixed(2)}x |`);
    }
    out.push('', `One \`stats()\` call (occupancy of ${scenario.n} entities counted): ${statsMs.toFixed(2)} ms.`, '');
  }
  const clockNs = nsPerCall(() => performance.now(), 1_000_000);
  out.push(
    `One \`performance.now()\`: ${clockNs.toFixed(0)} ns; \`metrics: true\` reads it twice per update.`,
    machineLine(),
  );
  console.log(out.join('\n'));
}

main();
