#!/usr/bin/env node
// Formats 3.0 and 3.1 (events stored against the prediction, docs/aoitrace-format.md "Version 3") against 2.2 and
// against the same ticks as NDJSON under `zstd -19 --long` and `xz -9e`, in one run: sizes, bytes per move and per
// event, writer rate, and stateAt into a seek file of each format (docs/benchmarks.md, "aoi-trace: predicted events").
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MemoryTarget,
  NdjsonWriter,
  openTraceReader,
  openTraceWriter,
  readTraceBytes,
  TraceWriter,
} from '@lanes/aoi-trace';
import { makeScenario } from '../aoi/scenario.js';
import { collectFlags, UsageError } from '../common/flags.js';
import { writeResults } from '../common/results.js';
import { runMain } from '../common/run-main.js';
import { writeCycledTicks } from './cycle-ticks.js';
import { median, threadCpuMs } from './measure.js';
import { randomWalk } from './random-walk-trace.js';
import { recordRoundTrip, recordScenario } from './scenario-trace.js';
import { measureSeeks } from './seek-measure.js';

const USAGE = `node bench/aoi-trace/predict.js [--runs n] [--maps random-walk,dense] [--seek-gb g[,g...]] [--seek-formats f,...] [--compress 0|1]
  --runs     timed writer runs per format, median reported (default 3)
  --maps     random-walk (2,000 entities, 300 ticks, view 60 / leave 70, step 3) and/or dense (bench/aoi M = 1000),
             or none (only the seek files)
  --seek-gb  size of each format's seek file (the dense round trip cycled; default 0.1, the goal is stated for 1); 0 skips;
             a list (0.02,0.2) writes one file of each size per format: a seek's cost must not grow with the file
  --seek-formats  the versions of the seek files (default 2.2,3.0,3.1)
  --compress 0: skip NDJSON under zstd and xz (minutes on a busy machine; the writer rows alone)`;
const FLAGS = {
  '--runs': { env: 'AOI_PREDICT_RUNS' },
  '--maps': { env: 'AOI_PREDICT_MAPS' },
  '--seek-gb': { env: 'AOI_PREDICT_SEEK_GB' },
  '--seek-formats': { env: 'AOI_PREDICT_SEEK_FORMATS' },
  '--compress': { env: 'AOI_PREDICT_COMPRESS' },
};
/** The versions compared; 3.1 is the newest (docs/aoitrace-format.md, "Version 3"). */
const FORMATS = ['2.2', '3.0', '3.1'];
/** Seeks per seek file. */
const SEEKS = 25;
const log = (line) => process.stderr.write(`${line}\n`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
/** With `--compress 0` the compressors did not run: their cells say so instead of 0.00 MB and 0.00x. */
const compressedCell = (bytes) => (bytes > 0 ? mb(bytes) : 'not run');
const ratioCell = (peer, bytes) => (peer > 0 ? `${(peer / bytes).toFixed(2)}x` : '-');

/** The trace's ticks, each with its events dropped: what the moves and the rest cost alone. */
const withoutEvents = (records) =>
  records.map((r) => ({
    ...r,
    eventBase: 0,
    events: { count: 0, kinds: new Uint8Array(0), watchers: new Int32Array(0), targets: new Int32Array(0) },
  }));

/** The trace with its cause messages removed (and every cause -1): what the events and positions cost alone. */
const withoutMessages = (records) =>
  records.map((r) => ({
    ...r,
    messages: [],
    spawns: r.spawns.map((s) => ({ ...s, cause: -1 })),
    updates: r.updates.map((u) => ({ ...u, cause: -1 })),
    moves: { ...r.moves, causes: new Int32Array(r.moves.count).fill(-1) },
  }));

/**
 * The cause messages and the information their span ids carry: a random id of n hex digits holds 4n bits, so the
 * distinct random span ids cost at least that many bytes in any encoding (their entropy floor).
 */
function messageStats(records) {
  let messages = 0;
  const spanIds = new Set();
  for (const r of records) {
    for (const m of r.messages) {
      messages++;
      spanIds.add(m.span.spanId);
      if (m.parent) spanIds.add(m.parent.spanId);
    }
  }
  let bits = 0;
  for (const id of spanIds) bits += /^[0-9a-f]+$/i.test(id) ? id.length * 4 : id.length * 8;
  return { messages, spanIds: spanIds.size, spanIdFloorBytes: Math.ceil(bits / 8) };
}

/** The file's size and where its bytes are (reader.stats().bytesByKind). */
function encode(header, records, options) {
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, options);
  writer.begin(header);
  for (const record of records) writer.writeTick(record);
  writer.close();
  const bytes = target.bytes();
  const { bytesByKind } = readTraceBytes(bytes).stats();
  return { bytes: bytes.length, keyframes: bytesByKind.keyframe, bytesByKind };
}

/** Caller-thread CPU rate (moves per second) of writing every tick after the first two. */
function rate(header, records, options, runs) {
  const timed = records.slice(2);
  const moves = timed.reduce((n, r) => n + r.moves.count, 0);
  const rates = [];
  for (let run = 0; run < runs; run++) {
    const writer = new TraceWriter(new MemoryTarget(), options);
    writer.begin(header);
    writer.writeTick(records[0]);
    writer.writeTick(records[1]);
    writer.flush();
    const start = threadCpuMs() ?? performance.now();
    for (const record of timed) writer.writeTick(record);
    writer.close();
    rates.push(moves / (((threadCpuMs() ?? performance.now()) - start) / 1e3));
  }
  return median(rates);
}

/** NDJSON of the trace (the library's writer) compressed by an external tool. */
function compressed(text, command, args) {
  return execFileSync(command, args, { input: text, maxBuffer: 1 << 30 }).length;
}

function ndjsonText(trace) {
  const lines = [];
  const writer = new NdjsonWriter(lines);
  writer.begin(trace.header);
  for (const record of trace.records) writer.writeTick(record);
  writer.close();
  return Buffer.from(lines.join(''));
}

function sizes(name, trace, runs, compress) {
  const { header, records } = trace;
  const moves = records.reduce((n, r) => n + r.moves.count, 0);
  const events = records.reduce((n, r) => n + r.events.count, 0);
  const row = {
    name,
    ticks: records.length,
    moves,
    events,
    ...messageStats(records),
    ndjson: 0,
    zstd: 0,
    xz: 0,
    formats: {},
  };
  // Moves (and messages, spawns, ...) are encoded the same in both versions: their cost is the 2.2 file without
  // events; an event's is what the events add to that (its ticks' bytes and the keyframes' view sets it builds).
  const noEvents = encode(header, withoutEvents(records), { format: '2.2' }).bytes;
  for (const format of FORMATS) {
    log(`${name}: format ${format}`);
    const { bytes, keyframes, bytesByKind } = encode(header, records, { format });
    const writer = rate(header, records, { format }, runs);
    row.formats[format] = {
      bytes,
      keyframes,
      bytesByKind,
      perMove: noEvents / moves,
      perEvent: (bytes - noEvents) / events,
      movesPerSecond: writer,
    };
  }
  log(`${name}: ${JSON.stringify(row.formats)}`);
  if (!compress) return row;
  log(`${name}: NDJSON under zstd and xz`);
  const text = ndjsonText(trace);
  row.ndjson = text.length;
  row.zstd = compressed(text, 'zstd', ['-19', '--long', '-c', '-q']);
  log(`${name}: NDJSON ${text.length} bytes, zstd ${row.zstd}`);
  log(
    `${name}: ${row.messages} messages, ${row.spanIds} distinct span ids, entropy floor ${row.spanIdFloorBytes} bytes`,
  );
  row.xz = compressed(text, 'xz', ['-9e', '-c', '-q']);
  log(`${name}: xz ${row.xz}`);
  return row;
}

/** Writes a seek file of `format` of about `bytes` and opens it (the caller measures, closes and removes it). */
function seekFile(trace, format, bytes) {
  const file = path.join(os.tmpdir(), `aoi-predict-seek-${process.pid}-${format}-${bytes}.aoitrace`);
  const writer = openTraceWriter(file, { format });
  const started = Date.now();
  const ticks = writeCycledTicks(writer, trace, { bytes, log, label: `seek ${format}: ` });
  writer.close();
  const writeSeconds = (Date.now() - started) / 1000;
  log(`seek ${format}: ${(writer.bytesWritten / 1e6).toFixed(1)} MB written in ${writeSeconds.toFixed(0)} s`);
  const reader = openTraceReader(file);
  const viewReader = openTraceReader(file);
  const stats = reader.stats();
  reader.stateAt(Math.floor(ticks / 2));
  viewReader.stateAt(Math.floor(ticks / 2)).views.size;
  const { fileBytes, keyframes } = stats;
  return { file, reader, viewReader, format, fileBytes, ticks, keyframes, writeSeconds };
}

async function main() {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const given = collectFlags(process.argv.slice(2), process.env, FLAGS, USAGE);
  const runs = Number(given.get('--runs') ?? 3);
  const maps = (given.get('--maps') ?? 'random-walk,dense').split(',').filter((m) => m !== 'none');
  const seekSizes = (given.get('--seek-gb') ?? '0.1')
    .split(',')
    .map(Number)
    .filter((g) => g > 0);
  const seekFormats = (given.get('--seek-formats') ?? FORMATS.join(',')).split(',');
  for (const format of seekFormats)
    if (!FORMATS.includes(format)) throw new UsageError(`Unknown seek format ${format}.\n${USAGE}`);
  for (const g of seekSizes) if (!Number.isFinite(g)) throw new UsageError(`--seek-gb must be numbers.\n${USAGE}`);
  const compress = given.get('--compress') !== '0';
  for (const map of maps)
    if (map !== 'random-walk' && map !== 'dense') throw new UsageError(`Unknown map ${map}.\n${USAGE}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new UsageError(`--runs must be an integer >= 1.\n${USAGE}`);
  const startedAt = new Date();
  const rows = [];
  for (const map of maps) {
    log(`recording ${map}...`);
    const trace = map === 'dense' ? recordScenario(makeScenario({ half: 1000 })) : randomWalk();
    rows.push(sizes(map, trace, runs, compress));
    if (map === 'random-walk') {
      // The same ticks without their cause messages: what the events and positions cost against the compressors.
      const bare = { header: trace.header, records: withoutMessages(trace.records) };
      rows.push(sizes('random-walk, no messages', bare, runs, compress));
    }
  }
  const out = [
    '| Trace | moves | events | NDJSON zstd -19 --long | NDJSON xz -9e | format | .aoitrace (keyframes) | vs zstd | vs xz | bytes/move | bytes/event | writer (caller CPU) |',
  ];
  out.push('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const where = [
    '',
    '| Trace | format | ticks chunks | keyframes | header + index | messages | distinct span ids | span-id entropy floor | floor vs zstd / 5 |',
  ];
  where.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    for (const [format, f] of Object.entries(row.formats)) {
      out.push(
        `| ${row.name} | ${row.moves} | ${row.events} | ${compressedCell(row.zstd)} | ${compressedCell(row.xz)} | ${format} | ${mb(f.bytes)} (${mb(f.keyframes)}) | ${ratioCell(row.zstd, f.bytes)} | ${ratioCell(row.xz, f.bytes)} | ${f.perMove.toFixed(3)} | ${f.perEvent.toFixed(3)} | ${(f.movesPerSecond / 1e6).toFixed(2)} M moves/s${format === '2.2' ? '' : ` (${(f.movesPerSecond / row.formats['2.2'].movesPerSecond).toFixed(2)}x 2.2)`} |`,
      );
      const k = f.bytesByKind;
      where.push(
        `| ${row.name} | ${format} | ${mb(k.ticks)} | ${mb(k.keyframe)} | ${mb(k.header + k.index)} | ${row.messages} | ${row.spanIds} | ${mb(row.spanIdFloorBytes)} | ${row.zstd > 0 && row.spanIdFloorBytes > 0 ? (row.spanIdFloorBytes / (Math.min(row.zstd, row.xz) / 5)).toFixed(2) : '-'} |`,
      );
    }
  }
  out.push(...where);
  const seeks = [];
  if (seekSizes.length > 0) {
    log('recording the dense round trip for the seek files...');
    const trip = recordRoundTrip(makeScenario({ half: 1000 }));
    const files = [];
    try {
      for (const gb of seekSizes) for (const format of seekFormats) files.push(seekFile(trip, format, gb * 1e9));
      log('seeking...');
      seeks.push(...measureSeeks(files, SEEKS));
    } finally {
      for (const f of files) rmSync(f.file, { force: true });
    }
    out.push('');
    out.push(
      '| Seek file (dense round trip cycled) | format | size | ticks | keyframes | write | stateAt median | stateAt max | next tick median | stateAt + a view median |',
    );
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of seeks) {
      const ms = (v) => `${v.toFixed(1)} ms`;
      out.push(
        `| dense | ${s.format} | ${mb(s.fileBytes)} | ${s.ticks} | ${s.keyframes} | ${s.writeSeconds.toFixed(0)} s | ${ms(median(s.times))} | ${ms(Math.max(...s.times))} | ${ms(median(s.nextTimes))} | ${ms(median(s.viewTimes))} |`,
      );
    }
  }
  console.log(out.join('\n'));
  console.log(
    `\nMachine: ${os.cpus().length} CPUs, Node ${process.version}, load average ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const file = await writeResults(
    fileURLToPath(new URL('../results/', import.meta.url)),
    'aoi-trace-predict',
    startedAt,
    {
      rows,
      seeks,
    },
  );
  log(`results: ${file}`);
  return 0;
}

await runMain(main, async () => {}, log);
