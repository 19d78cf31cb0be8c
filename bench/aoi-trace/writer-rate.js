#!/usr/bin/env node
// The writer's rate, format 3.1 against 2.2 in the same run, inline and with `background` (docs/benchmarks.md,
// "aoi-trace: predicted events", writer rows). With `background`, 3.x runs its whole writer on a worker thread, so
// three views are reported: the caller's thread CPU (what a game server's tick thread computes in writeTick), all
// threads' CPU (what the machine pays) and wall time until close() returns (what a batch convert or import waits).
// `--pace-ms` also feeds the ticks at a fixed interval and times each writeTick call on the caller (wall, waiting for
// a full queue included): what the tick thread sees when the worker keeps up, and when it does not.
import { fileURLToPath } from 'node:url';
import { MemoryTarget, TraceWriter } from '@lanes/aoi-trace';
import { makeScenario } from '../aoi/scenario.js';
import { collectFlags, UsageError } from '../common/flags.js';
import { machineLine } from '../common/machine.js';
import { writeResults } from '../common/results.js';
import { runMain } from '../common/run-main.js';
import { median, threadCpuMs } from './measure.js';
import { randomWalk } from './random-walk-trace.js';
import { recordRoundTrip, recordScenario } from './scenario-trace.js';

const USAGE = `node bench/aoi-trace/writer-rate.js [--runs n] [--maps random-walk,dense] [--formats 2.2,3.1] [--background 0,1] [--pace-ms ms]
  --runs        timed runs of each writer, taking turns within a run; medians reported (default 3)
  --maps        random-walk (2,000 entities, 300 ticks, view 60 / leave 70, step 3) and/or dense (bench/aoi M = 1000)
  --formats     the versions compared (default 2.2,3.1; the first is the peer of each ratio)
  --background  0 (inline), 1 (background), or both (default 0,1); ratios compare writers of the same setting
  --pace-ms     also feed the ticks every this many ms and time each writeTick (wall, p50/p99/max; default 0: off)
  --cycles      dense only: record the dense map's round trip (there and back, a legal recording when cycled) and time
                its ticks after the first two this many times over (default 1: the dense map once): a longer run, so
                a new worker's start (its code not yet optimised) weighs less. random-walk is timed once`;
const FLAGS = {
  '--runs': { env: 'AOI_WRITER_RUNS' },
  '--maps': { env: 'AOI_WRITER_MAPS' },
  '--formats': { env: 'AOI_WRITER_FORMATS' },
  '--background': { env: 'AOI_WRITER_BACKGROUND' },
  '--pace-ms': { env: 'AOI_WRITER_PACE_MS' },
  '--cycles': { env: 'AOI_WRITER_CYCLES' },
};
const log = (line) => process.stderr.write(`${line}\n`);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleepUntil = (ms) => {
  const left = ms - performance.now();
  if (left > 0) Atomics.wait(sleeper, 0, 0, left);
};
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** The timed ticks: every tick after the first two, `cycles` times, with tick numbers, times and event ids counting on. */
function timedTicks(trace, cycles) {
  const [, fill, ...cycle] = trace.records;
  const out = [];
  let tick = 2;
  let eventBase = fill.eventBase + fill.events.count;
  for (let c = 0; c < cycles; c++) {
    for (const record of cycle) {
      out.push(c === 0 ? record : { ...record, tick, time: trace.header.startTime + tick * 100, eventBase });
      eventBase += record.events.count;
      tick++;
    }
  }
  return out;
}

/** A writer with the spawn and fill ticks written and flushed (untimed, in every mode). */
function started(trace, options) {
  const writer = new TraceWriter(new MemoryTarget(), options);
  writer.begin(trace.header);
  writer.writeTick(trace.records[0]);
  writer.writeTick(trace.records[1]);
  writer.flush();
  return writer;
}

/** One run as fast as the writer takes ticks: caller CPU, all threads' CPU and wall, per timed tick (ms). */
function flatOut(trace, timed, options) {
  const writer = started(trace, options);
  const cpuStart = process.cpuUsage();
  const threadStart = threadCpuMs() ?? 0;
  const start = performance.now();
  for (const record of timed) writer.writeTick(record);
  writer.close();
  const wall = performance.now() - start;
  // Without Linux's schedstat there is no per-thread CPU: the caller column is then 0.
  const caller = (threadCpuMs() ?? 0) - threadStart;
  const used = process.cpuUsage(cpuStart);
  const n = timed.length;
  return { caller: caller / n, cpu: (used.user + used.system) / 1e3 / n, wall: wall / n };
}

/** One run at one tick every `pace` ms: each writeTick's wall time on the caller, and close()'s. */
function paced(trace, timed, options, pace) {
  const writer = started(trace, options);
  const calls = [];
  let next = performance.now();
  for (const record of timed) {
    sleepUntil(next);
    next += pace;
    const start = performance.now();
    writer.writeTick(record);
    calls.push(performance.now() - start);
  }
  const start = performance.now();
  writer.close();
  const close = performance.now() - start;
  return { p50: quantile(calls, 0.5), p99: quantile(calls, 0.99), max: Math.max(...calls), close };
}

async function main() {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const given = collectFlags(process.argv.slice(2), process.env, FLAGS, USAGE);
  const runs = Number(given.get('--runs') ?? 3);
  const maps = (given.get('--maps') ?? 'random-walk,dense').split(',');
  const formats = (given.get('--formats') ?? '2.2,3.1').split(',');
  const backgrounds = (given.get('--background') ?? '0,1').split(',').map((b) => b === '1');
  const pace = Number(given.get('--pace-ms') ?? 0);
  const cycles = Number(given.get('--cycles') ?? 1);
  if (!(Number.isInteger(cycles) && cycles >= 1)) throw new UsageError(`--cycles must be an integer >= 1.\n${USAGE}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new UsageError(`--runs must be an integer >= 1.\n${USAGE}`);
  for (const map of maps)
    if (map !== 'random-walk' && map !== 'dense') throw new UsageError(`Unknown map ${map}.\n${USAGE}`);
  if (!(pace >= 0)) throw new UsageError(`--pace-ms must be a number >= 0.\n${USAGE}`);
  const startedAt = new Date();
  const configs = backgrounds.flatMap((background) => formats.map((format) => ({ format, background })));
  const rows = [];
  for (const map of maps) {
    log(`recording ${map}...`);
    const scenario = () => makeScenario({ half: 1000 });
    const trace =
      map === 'random-walk' ? randomWalk() : cycles > 1 ? recordRoundTrip(scenario()) : recordScenario(scenario());
    const timed = timedTicks(trace, map === 'random-walk' ? 1 : cycles);
    /** @type {{ caller: number, cpu: number, wall: number }[][]} */
    const samples = configs.map(() => []);
    /** @type {{ p50: number, p99: number, max: number, close: number }[][]} */
    const pacedSamples = configs.map(() => []);
    // The writers take turns within each run, so a change in the machine's load hits all of them alike.
    for (let run = 0; run < runs; run++) {
      for (const [i, options] of configs.entries()) {
        samples[i].push(flatOut(trace, timed, options));
        if (pace > 0) pacedSamples[i].push(paced(trace, timed, options, pace));
        log(`${map} run ${run + 1}: ${JSON.stringify(options)} ${JSON.stringify(samples[i].at(-1))}`);
      }
    }
    for (const [i, options] of configs.entries()) {
      const pick = (list, key) => median(list.map((s) => s[key]));
      rows.push({
        map,
        ...options,
        ticks: timed.length,
        caller: pick(samples[i], 'caller'),
        cpu: pick(samples[i], 'cpu'),
        wall: pick(samples[i], 'wall'),
        paced:
          pace > 0
            ? {
                p50: pick(pacedSamples[i], 'p50'),
                p99: pick(pacedSamples[i], 'p99'),
                max: pick(pacedSamples[i], 'max'),
                close: pick(pacedSamples[i], 'close'),
              }
            : null,
      });
    }
  }
  const out = [
    '| Trace | writer | caller CPU / tick | vs peer | all threads CPU / tick | vs peer | wall / tick | vs peer |' +
      (pace > 0 ? ` writeTick every ${pace} ms: p50 / p99 / max | close |` : ''),
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${pace > 0 ? ' ---: | ---: |' : ''}`,
  ];
  const ms = (v) => `${v.toFixed(2)} ms`;
  for (const row of rows) {
    const peer = rows.find((r) => r.map === row.map && r.background === row.background && r.format === formats[0]);
    // A rate ratio: the peer's time over this writer's (above 1: faster than the peer).
    const ratio = (key) => (row === peer || peer === undefined ? '' : `${(peer[key] / row[key]).toFixed(2)}x`);
    const p = row.paced;
    out.push(
      `| ${row.map} | ${row.format}${row.background ? ' background' : ''} | ${ms(row.caller)} | ${ratio('caller')} | ${ms(row.cpu)} | ${ratio('cpu')} | ${ms(row.wall)} | ${ratio('wall')} |` +
        (p ? ` ${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.max)} | ${ms(p.close)} |` : ''),
    );
  }
  console.log(out.join('\n'));
  console.log(`\n${machineLine()}`);
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const file = await writeResults(dir, 'aoi-trace-writer-rate', startedAt, { rows });
  log(`results: ${file}`);
  return 0;
}

await runMain(main, async () => {}, log);
