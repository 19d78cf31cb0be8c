#!/usr/bin/env node
// One timed pass over a trace file in a process of its own (so its peak RSS is its own), printed as one JSON line:
//   decode  the floor peer: a plain streaming pass that decodes every tick and touches its columns, nothing more
//   replay  a higher floor: decode plus the world the detectors replay (entities and the recorded views in one
//           TableWorldState, src/model/table-world-state.ts), which every detector pass keeps; no detector runs
//   detect  the detectors' pass (`detect(reader)`, what `aoi-trace detect` runs), over the same ticks
//   engine  the named peer for what ground truth must at least do: @lanes/aoi's grid engine itself on the dense
//           scenario the file was recorded from (10,000 entities, [-1000, 1000]^2, radius 100, step 0.6), 100
//           timed ticks after the fill; `ticks` and the CPU are those ticks' (no file is read)
// Usage: node bench/aoi-trace/detect-pass.js <decode|replay|detect> <file> [lastTick] [detector,...]
//        node bench/aoi-trace/detect-pass.js engine
// AOI_DETECT_MODE=full runs the reference mode (every pair on every tick) instead of the incremental one.
// AOI_DETECT_WORKER=1 runs detectTraceFile (the kinetic schedule on a worker thread) instead of detect(reader).
// `digest` is the sha256 of the whole JSON report, as detect-digest.js prints it (cap 500).
// The CPU is the process's, both threads; `threads` then lists the busiest threads' CPU seconds (Linux: read from
// /proc/self/task just before the worker stops), so the wall time on two idle cores can be told from a loaded run.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { detect, detectTraceFile, openTraceReader } from '@lanes/aoi-trace';
import { engines } from '../aoi/engines.js';
import { makeScenario } from '../aoi/scenario.js';
import { MAPS } from '../viewer/large-trace-file.js';

const [mode, file, lastArg, only] = process.argv.slice(2);
if (mode === 'engine') {
  const scenario = makeScenario({ half: MAPS.dense });
  const grid = engines.find((e) => e.id === 'grid');
  if (grid === undefined) throw new Error("bench/aoi/engines.js has no 'grid' engine");
  const engine = grid.create(scenario.radius);
  const { xs, ys, n, ticks } = scenario;
  for (let i = 0; i < n; i++) engine.add(i, xs[0][i], ys[0][i]);
  engine.tick(xs[1], ys[1]);
  const cpuStart = process.cpuUsage();
  let events = 0;
  for (let t = 2; t < ticks + 2; t++) {
    const counts = engine.tick(xs[t], ys[t]);
    events += counts.enters + counts.leaves;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, cpuSeconds, msPerTick: (cpuSeconds * 1000) / ticks, maxRssMB, ticks, events }));
  process.exit(0);
}
if ((mode !== 'decode' && mode !== 'replay' && mode !== 'detect') || file === undefined) {
  console.error('usage: detect-pass.js <decode|replay|detect> <file> [lastTick] [detector,...] | engine');
  process.exit(1);
}
/** CPU seconds of each of this process's threads, busiest first (utime + stime from /proc; Linux only). */
function threadCpu() {
  try {
    const tick = 100; // USER_HZ, the unit of /proc's utime and stime on Linux
    return readdirSync('/proc/self/task')
      .map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return { tid: Number(tid), name, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / tick };
      })
      .sort((a, b) => b.cpuSeconds - a.cpuSeconds)
      .slice(0, 4);
  } catch {
    return undefined;
  }
}
let threads;
if (process.env.AOI_DETECT_WORKER === '1') {
  const { WorkerSchedule } = await import('../../packages/aoi-trace/dist/detect/worker-schedule.js');
  const close = WorkerSchedule.prototype.close;
  WorkerSchedule.prototype.close = function () {
    threads = threadCpu();
    return close.call(this);
  };
}
const to = lastArg === undefined || lastArg === '' ? undefined : Number(lastArg);
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const reader = openTraceReader(file);
let ticks = 0;
let events = 0;
let counts;
let digest;
try {
  if (mode === 'decode') {
    // Reads what a detector reads of every tick (tick number, moves, events), so nothing is optimized away.
    let check = 0;
    for (const record of reader.ticks(to === undefined ? {} : { to })) {
      ticks++;
      events += record.events.count;
      if (record.moves.count > 0) check += record.moves.xs[record.moves.count - 1];
    }
    counts = { check };
  } else if (mode === 'replay') {
    const { TableWorldState } = await import('../../packages/aoi-trace/dist/model/table-world-state.js');
    // Loaded from dist/ by path: typed by what is used here (its record type is dist's, the reader's is the package's).
    const state = /** @type {{ apply(record: unknown): void; pairs: number }} */ (new TableWorldState());
    for (const record of reader.ticks(to === undefined ? {} : { to })) {
      ticks++;
      events += record.events.count;
      state.apply(record);
    }
    counts = { pairs: state.pairs };
  } else {
    // The detector names are checked by detect() itself, which says which one it does not know.
    const detectors = /** @type {import('@lanes/aoi-trace').DetectOptions['detectors']} */ (only?.split(','));
    const options = { maxFindingsPerDetector: 500, ...(detectors ? { detectors } : {}) };
    // AOI_DETECT_MODE=full: the every-pair reference pass instead of the kinetic schedule (the default).
    const mode = /** @type {import('@lanes/aoi-trace').DetectionMode | undefined} */ (process.env.AOI_DETECT_MODE);
    const range = to === undefined ? undefined : { to };
    const report =
      process.env.AOI_DETECT_WORKER === '1'
        ? detectTraceFile(file, options, range, mode)
        : detect(reader, options, range, mode);
    ticks = report.ticks;
    counts = report.counts;
    // The same digest as detect-digest.js's unsorted one (the whole JSON report), so a pass's findings can be compared.
    digest = createHash('sha256').update(JSON.stringify(report)).digest('hex').slice(0, 16);
  }
} finally {
  reader.close();
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    mode,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    ticks,
    events,
    counts,
    ...(digest === undefined ? {} : { digest }),
    ...(threads === undefined ? {} : { threads }),
  }),
);
