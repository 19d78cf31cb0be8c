#!/usr/bin/env node
// Format 3.0's incremental predictor against the full pass it replaces, in one process (docs/benchmarks.md, "aoi-trace:
// predicted events"): the writer on the random-walk and dense traces (format 2.2 as the peer), and stateAt into a
// small 3.0 seek file. The full pass is forced by replacing the incremental pass's planner in the loaded build, so
// both read the same bytes and predict the same events; only the time differs.
//   node bench/aoi-trace/predict-passes.js [--seek-mb 20]
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryTarget, openTraceReader, openTraceWriter, TraceWriter } from '@lanes/aoi-trace';
import { IncrementalPass } from '../../packages/aoi-trace/dist/format/incremental-pass.js';
import { makeScenario } from '../aoi/scenario.js';
import { writeCycledTicks } from './cycle-ticks.js';
import { median, threadCpuMs } from './measure.js';
import { randomWalk } from './random-walk-trace.js';
import { recordRoundTrip, recordScenario } from './scenario-trace.js';

const seekMb = Number(process.argv[process.argv.indexOf('--seek-mb') + 1] || 20);
const incrementalPlan = IncrementalPass.prototype.plan;
/** @param {'full' | 'incremental'} passes */
const use = (passes) => {
  IncrementalPass.prototype.plan = passes === 'full' ? () => /** @type {const} */ ('full') : incrementalPlan;
};
const cpu = () => threadCpuMs() ?? performance.now();

function writeMs(trace, format) {
  const writer = new TraceWriter(new MemoryTarget(), { format });
  writer.begin(trace.header);
  const start = cpu();
  for (const record of trace.records) writer.writeTick(record);
  writer.close();
  return cpu() - start;
}

const lines = [
  '| Same run | 2.2 | 3.0, full pass every tick | 3.0, incremental | gain |',
  '| --- | ---: | ---: | ---: | ---: |',
];
for (const [name, trace] of [
  ['random-walk writer', randomWalk()],
  ['dense writer', recordScenario(makeScenario({ half: 1000 }))],
]) {
  /** @type {{ v2: number[], full: number[], incremental: number[] }} */
  const times = { v2: [], full: [], incremental: [] };
  for (let round = 0; round < 3; round++) {
    times.v2.push(writeMs(trace, '2.2'));
    use('full');
    times.full.push(writeMs(trace, '3.0'));
    use('incremental');
    times.incremental.push(writeMs(trace, '3.0'));
  }
  const [v2, full, incremental] = [median(times.v2), median(times.full), median(times.incremental)];
  lines.push(
    `| ${name} (caller CPU) | ${v2.toFixed(0)} ms | ${full.toFixed(0)} ms (${(v2 / full).toFixed(2)}x 2.2) | ${incremental.toFixed(0)} ms (${(v2 / incremental).toFixed(2)}x 2.2) | ${(full / incremental).toFixed(2)}x |`,
  );
  process.stderr.write(`${name} done\n`);
}

const file = path.join(os.tmpdir(), `aoi-predict-passes-${process.pid}.aoitrace`);
try {
  const writer = openTraceWriter(file, { format: '3.0' });
  const ticks = writeCycledTicks(writer, recordRoundTrip(makeScenario({ half: 1000 })), {
    bytes: seekMb * 1e6,
    log: () => {},
  });
  writer.close();
  const reader = openTraceReader(file);
  /** @type {{ full: number[], incremental: number[] }} */
  const seeks = { full: [], incremental: [] };
  for (const passes of /** @type {const} */ (['full', 'incremental', 'full', 'incremental'])) {
    use(passes);
    let seed = 42;
    for (let i = 0; i < 15; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const start = process.hrtime.bigint();
      reader.stateAt(seed % ticks);
      seeks[passes].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  reader.close();
  const [full, incremental] = [median(seeks.full), median(seeks.incremental)];
  lines.push(
    `| dense seek, ${seekMb} MB 3.0 file, stateAt median (wall) | | ${full.toFixed(0)} ms | ${incremental.toFixed(0)} ms | ${(full / incremental).toFixed(2)}x |`,
  );
} finally {
  rmSync(file, { force: true });
}
console.log(lines.join('\n'));
console.log(
  `\nMachine: ${os.cpus().length} CPUs, Node ${process.version}, load average ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
