#!/usr/bin/env node
// AOI benchmark: our grid vs the brute-force oracle, a textbook JS grid and an rbush AOI, one process, one run,
// the AoiTesting scenario (docs/benchmarks.md, "AOI engine"). Progress on stderr, the markdown on stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineLine } from '../common/machine.js';
import { engines } from './engines.js';
import { runOnce } from './run-once.js';
import { makeScenario } from './scenario.js';

const USAGE = `node bench/aoi/run.js [--runs n] [--only id,id] [--maps sparse,dense]
  --runs   timed runs per engine, median reported (default 5; brute-force always 1)
  --only   engine ids: ${engines.map((e) => e.id).join(',')}
  --maps   sparse (M = 10000), dense (M = 1000)`;

/** C++ figures from the issue (AoiTesting on a 2 vCPU machine): references, not measured here. */
const CPP = { sparse: { grid: 2.39, list: 3.5 }, dense: { grid: 33.5, list: 48.5 } };
const GOALS = { sparse: 1.2, dense: 8 };
const MAPS = { sparse: 10_000, dense: 1_000 };

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

/** @param {string[]} argv */
function parse(argv) {
  const options = { runs: 5, only: /** @type {string[] | null} */ (null), maps: ['sparse', 'dense'] };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1] ?? '';
    if (argv[i] === '--runs') options.runs = Number(value);
    else if (argv[i] === '--only') options.only = value.split(',');
    else if (argv[i] === '--maps') options.maps = value.split(',');
    else throw new Error(`Unknown argument ${argv[i]}.\n${USAGE}`);
    i++;
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error(`--runs must be >= 1.\n${USAGE}`);
  for (const map of options.maps) if (!(map in MAPS)) throw new Error(`Unknown map ${map}.\n${USAGE}`);
  return options;
}

/** @param {number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** @param {number} v */
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parse(argv);
  const selected = engines.filter((e) => options.only === null || options.only.includes(e.id));
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version };
  log(
    `aoi bench: ${selected.length} engine(s), ${options.runs} run(s) each; ${machine.cpus} CPUs (${machine.cpuModel})`,
  );
  const results = [];
  let failed = false;
  const out = [];
  for (const map of options.maps) {
    const scenario = makeScenario({ half: MAPS[/** @type {'sparse' | 'dense'} */ (map)] });
    /** @type {Array<{ id: string, label: string, msPerTick: number, runs: number[], enters: number, leaves: number }>} */
    const rows = [];
    for (const spec of selected) {
      const runs = [];
      let counts = { enters: 0, leaves: 0 };
      for (let r = 0; r < (spec.runs ?? options.runs); r++) {
        const result = runOnce(spec, scenario);
        runs.push(result.msPerTick);
        counts = result;
        log(`  ${map} ${spec.id} run ${r + 1}: ${fmt(result.msPerTick)} ms/tick`);
      }
      rows.push({ id: spec.id, label: spec.label, msPerTick: median(runs), runs, ...counts });
    }
    // Checksum: every engine must produce the same enters and leaves as the first one (and as brute force).
    const reference = rows.find((row) => row.id === 'brute-force') ?? rows[0];
    const base = rows.find((row) => row.id === 'grid') ?? rows[0];
    const ticks = scenario.ticks;
    out.push(`### ${map}: M = ${scenario.half}, ${scenario.n} entities, radius ${scenario.radius}, ${ticks} ticks`);
    out.push('');
    out.push(
      '| Engine | ms/tick (median) | entity-moves/s | enters/tick | leaves/tick | time vs our grid | checksum |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) {
      const ok = row.enters === reference.enters && row.leaves === reference.leaves;
      if (!ok) failed = true;
      const movesPerSecond = scenario.n / (row.msPerTick / 1000);
      out.push(
        `| ${row.label} | ${fmt(row.msPerTick)} | ${(movesPerSecond / 1e6).toFixed(2)} M | ${(row.enters / ticks).toFixed(2)} | ${(row.leaves / ticks).toFixed(2)} | ${(row.msPerTick / base.msPerTick).toFixed(2)}x | ${ok ? 'ok' : 'FAILED'} |`,
      );
      results.push({ map, ...row, checksumOk: ok });
    }
    const cpp = CPP[/** @type {'sparse' | 'dense'} */ (map)];
    const goal = GOALS[/** @type {'sparse' | 'dense'} */ (map)];
    const textbook = rows.find((row) => row.id === 'textbook');
    out.push('');
    out.push(
      `C++ references (from the issue, not measured here): AoiTesting grid ${cpp.grid} ms/tick (our grid is ${(cpp.grid / base.msPerTick).toFixed(1)}x faster), cross-linked list ${cpp.list} ms/tick (${(cpp.list / base.msPerTick).toFixed(1)}x).`,
    );
    out.push(
      `Goal: our grid <= ${goal} ms/tick: ${base.msPerTick <= goal ? 'met' : 'NOT met'} (${fmt(base.msPerTick)}).` +
        (textbook
          ? ` Goal: >= 4x faster than the textbook JS grid: ${textbook.msPerTick / base.msPerTick >= 4 ? 'met' : 'NOT met'} (${(textbook.msPerTick / base.msPerTick).toFixed(1)}x).`
          : ''),
    );
    out.push('');
  }
  console.log(out.join('\n'));
  console.log(machineLine());
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}aoi-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify({ machine, options, results }, null, 2)}\n`);
  log(`results: ${file}`);
  return failed ? 1 : 0;
}

process.exitCode = main();
