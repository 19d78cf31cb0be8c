#!/usr/bin/env node
// Same-process A/B of this build's stateAt against another build's (e.g. main's, built elsewhere), on one trace
// file: the same pseudo-random ticks, a fresh reader per seek (no replay to go on from), the builds taking turns and
// alternating which goes first; CPU of this thread (/proc/self/schedstat), so waits on a loaded machine do not count.
// Reported: each build's median and the median of the per-seek ratios (this build / peer). docs/benchmarks.md,
// "aoi-trace: predicted events".
//   node bench/aoi-trace/seek-ab.js --peer <other build's packages/aoi-trace/dist/index.js> [--file <trace>]
//     [--mb 5] [--format 3.1] [--seeks 16] [--views 1]
//   Without --file, writes the dense round trip cycled to --mb MB of --format (as seek-stages.js), then removes it.
//   --views 1: each seek also reads one watcher's view (a 3.x state rebuilds its view sets then).
import { rmSync } from 'node:fs';
import os from 'node:os';
import path, { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as self from '@lanes/aoi-trace';
import { makeScenario } from '../aoi/scenario.js';
import { writeCycledTicks } from './cycle-ticks.js';
import { threadCpuMs } from './measure.js';
import { recordRoundTrip } from './scenario-trace.js';

/** @param {string[]} argv */
function parse(argv) {
  /** @type {{ peer: string, file: string, mb: number, format: '2.2' | '3.0' | '3.1', seeks: number, views: number }} */
  const options = { peer: '', file: '', mb: 5, format: '3.1', seeks: 16, views: 0 };
  /** @type {Record<string, string | number>} */
  const given = options;
  for (let i = 0; i < argv.length; i += 2) {
    const key = (argv[i] ?? '').replace(/^--/, '');
    if (!(key in options))
      throw new Error(`Unknown argument ${argv[i]}; see the header of bench/aoi-trace/seek-ab.js.`);
    given[key] = ['peer', 'file', 'format'].includes(key) ? (argv[i + 1] ?? '') : Number(argv[i + 1]);
  }
  if (options.peer === '') throw new Error('--peer <dist/index.js> is required.');
  return options;
}

const options = parse(process.argv.slice(2));
const written = options.file === '';
if (written) {
  options.file = path.join(os.tmpdir(), `aoi-seek-ab-${process.pid}.aoitrace`);
  const writer = self.openTraceWriter(options.file, { format: options.format });
  const log = (line) => process.stderr.write(`${line}\n`);
  writeCycledTicks(writer, recordRoundTrip(makeScenario({ half: 1000 })), { bytes: options.mb * 1e6, log });
  writer.close();
}
const peer = await import(pathToFileURL(resolve(options.peer)).href);
const builds = [self, peer];
const ticks = self.openTraceReader(options.file).stats().ticks;
/** @type {number[][]} */
const cpu = [[], []];
let seed = 42;
for (let i = -3; i < options.seeks; i++) {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  const tick = seed % ticks;
  for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
    const reader = builds[k].openTraceReader(options.file);
    const before = threadCpuMs() ?? 0;
    const state = reader.stateAt(tick);
    if (options.views === 1) state.views.get(state.entities.keys().next().value);
    const spent = (threadCpuMs() ?? 0) - before;
    reader.close();
    if (i >= 0) cpu[k].push(spent);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ratio = median(cpu[0].map((v, i) => v / cpu[1][i]));
console.log(
  `stateAt${options.views === 1 ? ' + a view' : ''}, CPU ms median: this build ${median(cpu[0]).toFixed(1)}, peer ${median(cpu[1]).toFixed(1)}; per-seek ratio (this / peer) median ${ratio.toFixed(3)} (${options.seeks} seeks)`,
);
if (written) rmSync(options.file, { force: true });
