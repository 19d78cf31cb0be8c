// aoi-trace shrink on the injected-bug scenarios: one random-walk trace per injected bug (10,000 entities, 300
// ticks), one finding per detector class picked in the second half of the trace, shrunk with the library. The
// same-run peer is one pass of that finding's detector over the whole trace in memory: the shrink's cost is
// reported as a ratio over it (the search runs the same detector on candidates).
//
// The 3D bug (flat-leave) runs on the floors scenario (height) at the same entity count and floors' default density.
//
//   npx tsc -b && node bench/aoi-trace/shrink.js [--entities 10000] [--ticks 300] [--max-seconds 60] [--only <label>] [--json]
import { parseArgs } from 'node:util';
import { detect, findingVariant, MemoryTrace, shrinkTrace, simulate } from '@lanes/aoi-trace';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '10000' },
    ticks: { type: 'string', default: '300' },
    half: { type: 'string', default: '2500' },
    'max-seconds': { type: 'string', default: '60' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const entities = Number(values.entities);
const ticks = Number(values.ticks);
const half = Number(values.half);
const maxSeconds = Number(values['max-seconds']);

/** @type {Array<{ inject: import('@lanes/aoi-trace').InjectOptions, label: string, finds: Array<[import('@lanes/aoi-trace').DetectorName, string]>, scenario?: 'floors' }>} */
const SCENARIOS = [
  {
    label: 'torn-view=0.002',
    inject: { tornView: { rate: 0.002 } },
    finds: [
      ['torn-view', 'asymmetric-view'],
      ['torn-view', 'missing-leave'],
    ],
  },
  {
    label: 'delayed-broadcast=0.002:3',
    inject: { delayedBroadcast: { rate: 0.002, ticks: 3 } },
    finds: [
      ['delayed-broadcast', 'enter'],
      ['ground-truth', 'late'],
    ],
  },
  {
    label: 'race=0.001',
    inject: { race: { rate: 0.001 } },
    finds: [
      ['adjacency', 'never-entered'],
      ['ground-truth', 'missing'],
    ],
  },
  {
    label: 'oscillation=0.001:4',
    inject: { oscillation: { rate: 0.001, flips: 4 } },
    finds: [
      ['oscillation', 'pair'],
      ['ground-truth', 'extra'],
    ],
  },
  {
    label: 'flat-leave=0.002',
    scenario: 'floors',
    inject: { flatLeave: { rate: 0.002 } },
    finds: [
      ['adjacency', 'never-left'],
      ['ground-truth', 'late'],
    ],
  },
];

/** CPU seconds (user + system) of this process since `start`: what a loaded machine changes least. */
const cpuSeconds = (/** @type {NodeJS.CpuUsage} */ start) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
};
const log = (/** @type {string} */ line) => {
  if (!values.json) process.stderr.write(`${line}\n`);
};
const rows = [];
for (const scenario of SCENARIOS) {
  if (values.only !== undefined && !scenario.label.includes(values.only)) continue;
  const trace = new MemoryTrace();
  const name = scenario.scenario ?? 'random-walk';
  // floors keeps its default density (300 units in [-200, 200]^2) at any entity count.
  const side = name === 'floors' ? Math.round(200 * Math.sqrt(entities / 300)) : half;
  log(`simulate ${name} ${entities} entities, ${ticks} ticks, half ${side}, --inject ${scenario.label}`);
  simulate({ scenario: name, entities, half: side, ticks, inject: scenario.inject }, trace);
  for (const [detector, variant] of scenario.finds) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const report = detect(trace, { detectors: [detector], maxFindingsPerDetector: 1_000_000 });
    const detectSeconds = (performance.now() - t0) / 1000;
    const detectCpu = cpuSeconds(c0);
    const mid = trace.records[Math.floor(trace.records.length / 2)]?.tick ?? 0;
    const matching = report.findings.filter((f) => findingVariant(f).split(' ')[0] === variant);
    const finding = matching.find((f) => f.tick >= mid) ?? matching[0];
    if (finding === undefined) {
      log(`  ${detector}:${variant}: no finding`);
      continue;
    }
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const result = shrinkTrace(trace, {
      finding: { type: 'kind', detector, variant, tick: finding.tick },
      maxSeconds,
    });
    const seconds = (performance.now() - t1) / 1000;
    const cpu = cpuSeconds(c1);
    const row = {
      injected: scenario.scenario === undefined ? scenario.label : `${scenario.label} (${scenario.scenario})`,
      finding: `${detector}:${variant}@${finding.tick}`,
      before: result.before,
      after: { entities: result.after.entities, ticks: result.after.ticks },
      type: result.type,
      seconds: Number(seconds.toFixed(2)),
      locateSeconds: Number((result.locateMs / 1000).toFixed(2)),
      cpuSeconds: Number(cpu.toFixed(2)),
      candidates: result.candidates,
      cached: result.cached,
      detectSeconds: Number(detectSeconds.toFixed(2)),
      detectCpuSeconds: Number(detectCpu.toFixed(2)),
      ratio: Number((seconds / detectSeconds).toFixed(2)),
      cpuRatio: Number((cpu / detectCpu).toFixed(2)),
    };
    rows.push(row);
    log(
      `  ${row.finding}: ${row.before.entities} entities x ${row.before.ticks} ticks -> ${row.after.entities} x ${row.after.ticks} ` +
        `(${row.type}) in ${row.seconds} s (${row.cpuSeconds} s CPU; locating ${row.locateSeconds} s), ${row.candidates} candidates (+${row.cached} cached); ` +
        `one ${detector} pass ${row.detectSeconds} s (${row.detectCpuSeconds} s CPU), ratio ${row.ratio} (CPU ${row.cpuRatio})`,
    );
  }
}
if (values.json) process.stdout.write(`${JSON.stringify({ entities, ticks, half, maxSeconds, rows })}\n`);
else {
  process.stdout.write(
    '| injected | finding | before (entities x ticks) | after | seconds (CPU) | of which locating (s) | candidates (+cached) | one detector pass, s (CPU) | shrink / pass (CPU) |\n',
  );
  process.stdout.write('| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n');
  for (const r of rows) {
    process.stdout.write(
      `| ${r.injected} | \`${r.finding}\` | ${r.before.entities} x ${r.before.ticks} | ${r.after.entities} x ${r.after.ticks}${r.type === 'minimal' ? '' : ' (stopped early)'} | ${r.seconds} (${r.cpuSeconds}) | ${r.locateSeconds} | ${r.candidates} (+${r.cached}) | ${r.detectSeconds} (${r.detectCpuSeconds}) | ${r.ratio} (${r.cpuRatio}) |\n`,
    );
  }
}
