#!/usr/bin/env node
// aoi-trace benchmark: the .aoitrace format against gzip'd NDJSON of the same ticks in the same run (size), the
// writer's throughput, the recorder's cost on the engine tick, and stateAt into a large file. Progress on stderr,
// the markdown on stdout, the numbers in bench/results/aoi-trace-<timestamp>.json (docs/benchmarks.md, "aoi-trace").
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MemoryTarget, TraceWriter } from '@lanes/aoi-trace';
import { makeScenario } from '../aoi/scenario.js';
import { collectFlags, UsageError } from '../common/flags.js';
import { writeResults } from '../common/results.js';
import { runMain } from '../common/run-main.js';
import { detectorBench, detectorTable } from './detect-bench.js';
import { encodeOnce, encodeThroughput, median, seekBench } from './measure.js';
import { ndjsonSizes } from './ndjson-peer.js';
import { nullSink, recordScenario, timeEngineTicks } from './scenario-trace.js';

const USAGE = `node bench/aoi-trace/run.js [--runs n] [--maps dense,sparse] [--seek-gb g] [--seek-maps sparse,dense]
    [--detect-gb g | --detect-file f] [--detect-ticks n]
  --runs          timed runs per throughput/overhead measurement, median reported (default 5)
  --maps          scenarios for size and throughput: dense (M = 1000), sparse (M = 10000)
  --seek-gb       size of the generated seek file in GB (default 0.05; the documented run uses 1); 0 skips it
  --seek-maps     scenarios cycled into the seek file (default sparse,dense)
  --detect-gb     write a dense file of g GB and time the detectors over it against the decode-only floor
                  (default 0: skipped)
  --detect-file   the same on an existing file (bench/aoi-trace/write-trace.js writes one), not deleted
  --detect-ticks  only the first n ticks of the detectors' file (default: all)`;

const FLAGS = {
  '--runs': { env: 'AOI_TRACE_BENCH_RUNS' },
  '--maps': { env: 'AOI_TRACE_BENCH_MAPS' },
  '--seek-gb': { env: 'AOI_TRACE_BENCH_SEEK_GB' },
  '--seek-maps': { env: 'AOI_TRACE_BENCH_SEEK_MAPS' },
  '--detect-gb': { env: 'AOI_TRACE_BENCH_DETECT_GB' },
  '--detect-file': { env: 'AOI_TRACE_BENCH_DETECT_FILE' },
  '--detect-ticks': { env: 'AOI_TRACE_BENCH_DETECT_TICKS' },
};
const MAPS = { dense: 1_000, sparse: 10_000 };
/** Writer configurations timed on every map. */
const WRITERS = [
  ['inline', {}],
  ['inline, no deflate', { deflate: false }],
  ['background', { background: true }],
  ['background, no deflate', { background: true, deflate: false }],
];
const GOALS = { ratio: 5, movesPerSecond: 10e6, overhead: 0.1, seekMs: 50 };

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

function parse() {
  const given = collectFlags(process.argv.slice(2), process.env, FLAGS, USAGE);
  const runs = Number(given.get('--runs') ?? 5);
  const seekGb = Number(given.get('--seek-gb') ?? 0.05);
  const maps = (given.get('--maps') ?? 'dense,sparse').split(',');
  const seekMaps = (given.get('--seek-maps') ?? 'sparse,dense').split(',');
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be an integer >= 1.\n${USAGE}`);
  if (!(seekGb >= 0)) throw new UsageError(`--seek-gb must be >= 0.\n${USAGE}`);
  for (const map of [...maps, ...seekMaps]) if (!(map in MAPS)) throw new UsageError(`Unknown map ${map}.\n${USAGE}`);
  const detectGb = Number(given.get('--detect-gb') ?? 0);
  const detectFile = given.get('--detect-file');
  const detectTicks = given.has('--detect-ticks') ? Number(given.get('--detect-ticks')) : undefined;
  if (!(detectGb >= 0)) throw new UsageError(`--detect-gb must be >= 0.\n${USAGE}`);
  if (detectTicks !== undefined && !(Number.isInteger(detectTicks) && detectTicks >= 1)) {
    throw new UsageError(`--detect-ticks must be an integer >= 1.\n${USAGE}`);
  }
  return { runs, seekGb, maps, seekMaps, detectGb, detectFile, detectTicks };
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parse();
  const startedAt = new Date();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version };
  const results = { machine, options, maps: /** @type {any[]} */ ([]), seek: /** @type {any[]} */ ([]) };
  const out = [];
  const traces = new Map();
  for (const map of new Set([...options.maps, ...options.seekMaps])) {
    log(`recording ${map}...`);
    traces.set(map, recordScenario(makeScenario({ half: MAPS[map] })));
  }
  out.push('#### Size, position error and writer throughput');
  out.push('');
  out.push(
    '| Map | ticks | moves | events | .aoitrace | gzip NDJSON | ratio | gzip compact NDJSON | ratio | keyframes | max position error |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const speed = [];
  for (const map of options.maps) {
    const trace = traces.get(map);
    log(`${map}: sizes`);
    const encoded = encodeOnce(trace, {});
    const raw = encodeOnce(trace, { deflate: false });
    const verbose = ndjsonSizes(trace.header, trace.records, false);
    const compact = ndjsonSizes(trace.header, trace.records, true);
    log(`${map}: writer throughput`);
    const writers = {};
    for (const [name, writerOptions] of WRITERS) writers[name] = encodeThroughput(trace, writerOptions, options.runs);
    const row = { map, encoded, raw, verbose, compact, writers };
    results.maps.push(row);
    const s = encoded.stats;
    out.push(
      `| ${map} | ${s.ticks} | ${s.moves} | ${s.events} | ${mb(encoded.bytes)} (keyframes ${mb(s.bytesByKind.keyframe)}) | ${mb(verbose.gzip)} | ${(verbose.gzip / encoded.bytes).toFixed(1)}x | ${mb(compact.gzip)} | ${(compact.gzip / encoded.bytes).toFixed(1)}x | ${s.keyframes} | ${encoded.maxError.toExponential(2)} |`,
    );
    for (const [name] of WRITERS) {
      const w = writers[name];
      const rate = (value) => (value === null ? 'n/a' : `${(value / 1e6).toFixed(1)} M`);
      speed.push(
        `| ${map} | ${name} | ${rate(w.callerRate)} | ${rate(w.wallRate)} | ${w.cpuMsPerMillion.toFixed(0)} ms |`,
      );
    }
  }
  out.push('');
  out.push('#### Writer throughput (entity-moves per second, median)');
  out.push('');
  out.push('| Map | writer | caller thread CPU | until close() returns | CPU of all threads per 1 M moves |');
  out.push('| --- | --- | ---: | ---: | ---: |');
  out.push(...speed);
  out.push('');
  if (options.maps.includes('dense')) {
    log('dense: recorder overhead');
    const scenario = makeScenario({ half: MAPS.dense });
    const off = [];
    const recorderOnly = [];
    const withWriter = [];
    const withBackground = [];
    for (let run = 0; run < options.runs; run++) {
      off.push(timeEngineTicks(scenario, null));
      recorderOnly.push(timeEngineTicks(scenario, nullSink));
      withWriter.push(timeEngineTicks(scenario, new TraceWriter(new MemoryTarget())));
      withBackground.push(timeEngineTicks(scenario, new TraceWriter(new MemoryTarget(), { background: true })));
    }
    const base = median(off);
    const overhead = {
      off: base,
      recorder: median(recorderOnly),
      writer: median(withWriter),
      background: median(withBackground),
    };
    results.overhead = overhead;
    out.push('#### Recorder cost on the dense engine tick (median ms per tick)');
    out.push('');
    out.push('| Engine tick | ms/tick | vs. no recorder |');
    out.push('| --- | ---: | ---: |');
    out.push(`| no recorder | ${base.toFixed(2)} | 1.00x |`);
    out.push(
      `| recorder into a sink that keeps nothing | ${overhead.recorder.toFixed(2)} | ${(overhead.recorder / base).toFixed(2)}x |`,
    );
    out.push(
      `| recorder into the .aoitrace writer (memory) | ${overhead.writer.toFixed(2)} | ${(overhead.writer / base).toFixed(2)}x |`,
    );
    out.push(
      `| recorder into the writer with \`background: true\` | ${overhead.background.toFixed(2)} | ${(overhead.background / base).toFixed(2)}x |`,
    );
    out.push('');
  }
  if (options.seekGb > 0) {
    out.push(`#### stateAt into a ${options.seekGb} GB file (15 random ticks)`);
    out.push('');
    out.push(
      '| Cycled map | file | ticks | keyframes | write | open | stateAt median | stateAt max | stateAt + every view Set, median |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const map of options.seekMaps) {
      log(`${map}: seek file of ${options.seekGb} GB`);
      const seek = seekBench(traces.get(map), options.seekGb * 1e9, log);
      results.seek.push({ map, ...seek });
      out.push(
        `| ${map} | ${mb(seek.fileBytes)} | ${seek.ticks} | ${seek.keyframes} | ${seek.writeSeconds.toFixed(0)} s | ${seek.openMs.toFixed(1)} ms | ${median(seek.times).toFixed(1)} ms | ${Math.max(...seek.times).toFixed(1)} ms | ${median(seek.fullTimes).toFixed(1)} ms |`,
      );
    }
    out.push('');
  }
  if (options.detectGb > 0 || options.detectFile !== undefined) {
    const detectors = detectorBench(options, log);
    results.detectors = detectors;
    out.push(...detectorTable(detectors));
  }
  const dense = results.maps.find((m) => m.map === 'dense');
  if (dense) {
    const ratio = dense.verbose.gzip / dense.encoded.bytes;
    const bg = dense.writers.background;
    const goal = (rate) =>
      rate === null ? 'n/a' : `${rate >= GOALS.movesPerSecond ? 'met' : 'NOT met'} (${(rate / 1e6).toFixed(1)} M)`;
    out.push(
      `Goals (dense): >= ${GOALS.ratio}x smaller than gzip NDJSON: ${ratio >= GOALS.ratio ? 'met' : 'NOT met'} (${ratio.toFixed(1)}x); writer >= 10 M moves/s: caller thread ${goal(bg.callerRate)}, until close() ${goal(bg.wallRate)} (background, deflate)` +
        (results.overhead
          ? `; recorder < 10%: ${results.overhead.recorder / results.overhead.off - 1 < GOALS.overhead ? 'met' : 'NOT met'} (${((results.overhead.recorder / results.overhead.off - 1) * 100).toFixed(0)}%).`
          : '.'),
    );
  }
  console.log(out.join('\n'));
  console.log(
    `\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const file = await writeResults(
    fileURLToPath(new URL('../results/', import.meta.url)),
    'aoi-trace',
    startedAt,
    results,
  );
  log(`results: ${file}`);
  return 0;
}

await runMain(main, async () => {}, log);
