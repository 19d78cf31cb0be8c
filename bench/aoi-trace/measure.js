// The measurements of the aoi-trace benchmark: file size and position error, writer throughput, and seek time.
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryTarget, openTraceReader, openTraceWriter, readTraceBytes, TraceWriter } from '@lanes/aoi-trace';
import { writeCycledTicks } from './cycle-ticks.js';

/** @param {number[]} values */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Writes the whole trace into memory; returns the bytes, the stats and the largest position error.
 * @param {import('@lanes/aoi-trace').MemoryTrace} trace
 * @param {object} options writer options
 */
export function encodeOnce(trace, options) {
  const target = new MemoryTarget();
  const writer = new TraceWriter(target, options);
  writer.begin(trace.header);
  for (const record of trace.records) writer.writeTick(record);
  writer.close();
  const bytes = target.bytes();
  const reader = readTraceBytes(bytes);
  let maxError = 0;
  let i = 0;
  for (const read of reader.ticks()) {
    const original = trace.records[i++];
    // With epsilon 0 every move is stored, so the columns line up one to one.
    for (let m = 0; m < read.moves.count; m++) {
      maxError = Math.max(maxError, Math.abs(read.moves.xs[m] - original.moves.xs[m]));
      maxError = Math.max(maxError, Math.abs(read.moves.ys[m] - original.moves.ys[m]));
    }
  }
  return { bytes: bytes.length, stats: reader.stats(), maxError };
}

/** CPU time of the calling (main) thread in ms, from Linux's schedstat; null elsewhere. */
export function threadCpuMs() {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/**
 * Writer throughput: the pre-recorded ticks fed to writeTick, then close() (spawn and fill ticks untimed), median of
 * `runs`. Three views of one run, because with `background` they differ: `callerRate` counts the CPU time of the
 * caller's thread only (writeTick and close, not the time it sleeps waiting for the worker: the cost a game thread
 * pays), `wallRate` the time until close() returns (everything written), `cpuMsPerMillion` the CPU of all threads.
 * @param {import('@lanes/aoi-trace').MemoryTrace} trace
 * @param {object} options
 * @param {number} runs
 */
export function encodeThroughput(trace, options, runs) {
  const timed = trace.records.slice(2);
  const moves = timed.reduce((n, r) => n + r.moves.count, 0);
  const caller = [];
  const wall = [];
  const cpu = [];
  for (let run = 0; run < runs; run++) {
    const writer = new TraceWriter(new MemoryTarget(), options);
    writer.begin(trace.header);
    writer.writeTick(trace.records[0]);
    writer.writeTick(trace.records[1]);
    // The spawn and fill ticks (750,000 enters on the dense map) are packed before the clock starts, in both modes.
    writer.flush();
    const cpuStart = process.cpuUsage();
    const threadStart = threadCpuMs();
    const start = process.hrtime.bigint();
    for (const record of timed) writer.writeTick(record);
    writer.close();
    wall.push(moves / (Number(process.hrtime.bigint() - start) / 1e9));
    const threadEnd = threadCpuMs();
    if (threadStart !== null && threadEnd !== null) caller.push(moves / ((threadEnd - threadStart) / 1e3));
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1e3 / (moves / 1e6));
  }
  return { callerRate: caller.length ? median(caller) : null, wallRate: median(wall), cpuMsPerMillion: median(cpu) };
}

/**
 * Writes a file of about `bytes` by cycling the scenario's moving ticks (tick numbers, times and event ids keep
 * counting), then times stateAt at random ticks. The file is deleted afterwards.
 * @param {import('@lanes/aoi-trace').MemoryTrace} trace
 * @param {number} bytes
 * @param {(line: string) => void} log
 */
export function seekBench(trace, bytes, log) {
  const file = path.join(os.tmpdir(), `aoi-trace-seek-${process.pid}.aoitrace`);
  try {
    const writer = openTraceWriter(file);
    const started = Date.now();
    const tick = writeCycledTicks(writer, trace, { bytes, log, label: 'seek file: ', firstLog: 0 });
    writer.close();
    const writeSeconds = (Date.now() - started) / 1000;
    const openStart = process.hrtime.bigint();
    const reader = openTraceReader(file);
    const openMs = Number(process.hrtime.bigint() - openStart) / 1e6;
    const stats = reader.stats();
    reader.stateAt(Math.floor(tick / 2)); // warm-up
    const times = [];
    // stateAt builds view Sets on first use; `fullTimes` adds walking every view (every Set built), the cost of a
    // caller that needs the whole world.
    const fullTimes = [];
    let viewPairs = 0;
    let seed = 42;
    for (let i = 0; i < 15; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const at = seed % tick;
      const start = process.hrtime.bigint();
      const state = reader.stateAt(at);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      let pairs = 0;
      for (const view of state.views.values()) pairs += view.size;
      fullTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
      viewPairs = pairs;
    }
    reader.close();
    return {
      fileBytes: stats.fileBytes,
      ticks: tick,
      keyframes: stats.keyframes,
      writeSeconds,
      openMs,
      times,
      fullTimes,
      viewPairs,
    };
  } finally {
    rmSync(file, { force: true });
  }
}
