#!/usr/bin/env node
// Our grid vs a C++ grid AOI in the same run (docs/benchmarks.md, "C++ peer"): the sparse and dense 10k maps and the
// 100k dense-density map. The bench compiles bench/aoi/native/grid-aoi.cpp (g++ -O2), writes each scenario's
// positions to a file, and checks the enter/leave counts and checksums of the timed ticks: the C++ peer's and ours
// must equal the brute-force oracle's (at 100k, where the O(n^2) oracle is too slow, each other's). A mismatch
// fails the row and the exit code. Markdown on stdout, progress on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AoiWorld } from '@lanes/aoi';
import { machineSummary } from '../common/machine.js';
import { buildPeer, compilerVersion, eventHash, runPeer, writePositions } from './native-peer.js';
import { argsOrHelp, fmt, median } from './report.js';
import { makeScenario } from './scenario.js';

const USAGE = `node bench/aoi/native.js [--runs n] [--maps sparse,dense,dense100k] [--ticks n] [--leave r]
  --runs   runs per engine per map, alternating C++ and ours; the median is reported (default 5)
  --maps   sparse (10k, M = 10000), dense (10k, M = 1000), dense100k (100k, M = 3163) (default all)
  --ticks  timed ticks (default 30: the grid's neighbour list is rebuilt about every 21 ticks, so every run
           includes a rebuild; dense100k runs at most 25)
  --leave  leave radius (hysteresis; default 100 = the view radius, as bench/aoi/run.js)`;

const MAPS = {
  sparse: { n: 10_000, half: 10_000, oracle: true },
  dense: { n: 10_000, half: 1_000, oracle: true },
  dense100k: { n: 100_000, half: 3_163, oracle: false },
};

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** @param {string[]} argv */
function parse(argv) {
  const options = { runs: 5, maps: Object.keys(MAPS), ticks: 30, leave: 100 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1] ?? '';
    if (argv[i] === '--runs') options.runs = Number(value);
    else if (argv[i] === '--maps') options.maps = value.split(',');
    else if (argv[i] === '--ticks') options.ticks = Number(value);
    else if (argv[i] === '--leave') options.leave = Number(value);
    else throw new Error(`Unknown argument ${argv[i]}.\n${USAGE}`);
  }
  if (!(Number.isInteger(options.runs) && options.runs >= 1)) throw new Error(`--runs must be >= 1.\n${USAGE}`);
  if (!(Number.isInteger(options.ticks) && options.ticks >= 2)) throw new Error(`--ticks must be >= 2.\n${USAGE}`);
  if (!(options.leave >= 100 && options.leave < 1e6)) throw new Error(`--leave must be in [100, 1e6).\n${USAGE}`);
  for (const map of options.maps) if (!(map in MAPS)) throw new Error(`Unknown map ${map}.\n${USAGE}`);
  return options;
}

/**
 * One run of an @lanes/aoi algorithm over the scenario, timed per tick (positions applied + tick()); the checksum
 * of each tick's events is summed after its clock stopped, as the C++ peer does.
 * @param {'grid' | 'brute-force'} algorithm
 * @param {import('./scenario.js').Scenario} scenario
 * @param {number} leave
 */
function runOurs(algorithm, scenario, leave) {
  const world = new AoiWorld({ algorithm, mode: 'batched' });
  const { xs, ys, n, radius } = scenario;
  for (let i = 0; i < n; i++) world.add(i, { x: xs[0][i], y: ys[0][i], viewRadius: radius, leaveRadius: leave });
  for (let i = 0; i < n; i++) world.move(i, xs[1][i], ys[1][i]);
  world.tick();
  const result = { wallMs: /** @type {number[]} */ ([]), cpuMs: /** @type {number[]} */ ([]) };
  let enters = 0;
  let leaves = 0;
  let enterHash = 0;
  let leaveHash = 0;
  for (let t = 2; t < xs.length; t++) {
    const x = xs[t];
    const y = ys[t];
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) world.move(i, x[i], y[i]);
    const batch = world.tick();
    result.wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    result.cpuMs.push((used.user + used.system) / 1000);
    for (let e = 0; e < batch.count; e++) {
      const h = eventHash(batch.watchers[e], batch.targets[e]);
      if (batch.kinds[e] === 0) enterHash = (enterHash + h) >>> 0;
      else if (batch.kinds[e] === 1) leaveHash = (leaveHash + h) >>> 0;
    }
    enters += batch.enterCount;
    leaves += batch.leaveCount;
  }
  return { ticks: xs.length - 2, ...result, enters, leaves, enterHash, leaveHash };
}

const mean = (/** @type {number[]} */ v) => v.reduce((a, b) => a + b, 0) / v.length;
/** @param {{ enters: number, leaves: number, enterHash: number, leaveHash: number }} r */
const sum = (r) => `${r.enters}/${r.leaves} #${r.enterHash.toString(16)}/${r.leaveHash.toString(16)}`;

function main() {
  const argv = argsOrHelp(USAGE);
  if (argv === null) return 0;
  const options = parse(argv);
  const { binary, built } = buildPeer();
  log(`C++ peer: ${binary} (${built ? 'compiled now' : 'cached'}), ${compilerVersion()}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aoi-native-'));
  const out = [];
  let failed = false;
  try {
    out.push(
      '| Map | Entities | ticks | C++ grid ms/tick (wall) | our grid ms/tick (wall) | ours faster (wall) | C++ CPU ms/tick | our CPU ms/tick | ours faster (CPU) | checksum (enters/leaves #hashes) |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const name of options.maps) {
      const map = MAPS[/** @type {keyof typeof MAPS} */ (name)];
      const ticks = map.n > 10_000 ? Math.min(options.ticks, 25) : options.ticks;
      const scenario = makeScenario({ n: map.n, half: map.half, ticks });
      const file = path.join(dir, `${name}.aoip`);
      // Warm-up, untimed: a game server runs for hours, so both sides are measured warm. Ours needs the JIT's
      // optimizing tier to have compiled (and stopped recompiling) the hot loops: 25 ticks were enough for the dense
      // map but not for the sparse one, whose first timed runs still paid for compilation (1.45, 0.74, 0.47 against a
      // steady 0.40 ms per tick), so the 10k maps warm up for 200 ticks, twice. The C++ peer reads the positions file
      // once, so the page cache holds it.
      const warm = makeScenario({ n: map.n, half: map.half, ticks: map.n > 10_000 ? 25 : 200 });
      writePositions(file, warm, options.leave);
      runPeer(binary, file);
      for (let w = 0; w < (map.n > 10_000 ? 1 : 2); w++) runOurs('grid', warm, options.leave);
      writePositions(file, scenario, options.leave);
      const cpp = [];
      const ours = [];
      for (let r = 0; r < options.runs; r++) {
        cpp.push(runPeer(binary, file));
        log(`  ${name} C++ run ${r + 1}: ${fmt(mean(cpp[r].wallMs))} ms/tick wall, ${fmt(mean(cpp[r].cpuMs))} CPU`);
        ours.push(runOurs('grid', scenario, options.leave));
        log(`  ${name} ours run ${r + 1}: ${fmt(mean(ours[r].wallMs))} ms/tick wall, ${fmt(mean(ours[r].cpuMs))} CPU`);
      }
      let reference = cpp[0];
      let referenceName = 'the C++ peer';
      if (map.oracle) {
        log(`  ${name} brute-force oracle (1 run) ...`);
        reference = runOurs('brute-force', scenario, options.leave);
        referenceName = 'the brute-force oracle';
      }
      const bad = [...cpp, ...ours].filter((r) => sum(r) !== sum(reference));
      if (bad.length > 0) {
        failed = true;
        log(`  ${name}: CHECKSUM MISMATCH against ${referenceName} (${sum(reference)}): ${bad.map(sum).join(', ')}`);
      }
      const cppWall = median(cpp.map((r) => mean(r.wallMs)));
      const oursWall = median(ours.map((r) => mean(r.wallMs)));
      const cppCpu = median(cpp.map((r) => mean(r.cpuMs)));
      const oursCpu = median(ours.map((r) => mean(r.cpuMs)));
      out.push(
        `| ${name} (M = ${map.half}) | ${map.n.toLocaleString('en-US')} | ${ticks} | ${fmt(cppWall)} | ${fmt(oursWall)} | ${(cppWall / oursWall).toFixed(2)}x | ${fmt(cppCpu)} | ${fmt(oursCpu)} | ${(cppCpu / oursCpu).toFixed(2)}x | ${bad.length === 0 ? `ok vs ${map.oracle ? 'oracle' : 'each other'}: ${sum(reference)}` : 'FAILED'} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  out.push('');
  out.push(
    `Leave radius ${options.leave} (view radius 100), ${options.runs} run(s) per engine, medians. ${compilerVersion()}. Machine: ${machineSummary()}.`,
  );
  console.log(out.join('\n'));
  if (failed) log('FAILED: a checksum differs (see above).');
  return failed ? 1 : 0;
}

process.exitCode = main();
