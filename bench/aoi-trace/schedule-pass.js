#!/usr/bin/env node
// The kinetic pair schedule alone (detect/kinetic-pairs.ts) over a trace file: the world replayed into a WorldState
// and KineticPairs.update per tick; prints its CPU per tick (update only, from tick 50 on: no fill tick) and the
// pairs it hands over per tick, as one JSON line. `dist`: the aoi-trace build to load (default this one's), so two
// builds can be run one after the other:
//   node bench/aoi-trace/schedule-pass.js <file> [lastTick=249] [path/to/packages/aoi-trace/dist]
import { fileURLToPath, pathToFileURL } from 'node:url';

const [file, lastArg, distArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: schedule-pass.js <file> [lastTick] [aoi-trace dist directory]');
  process.exit(1);
}
const dist = distArg ?? fileURLToPath(new URL('../../packages/aoi-trace/dist', import.meta.url));
const load = (path) => import(pathToFileURL(`${dist}/${path}`).href);
const { openTraceReader } = await load('index.js');
const { KineticPairs } = await load('detect/kinetic-pairs.js');
const { WorldState } = await load('model/world-state.js');
const { resolveDetectOptions } = await load('detect/options.js');
const reader = openTraceReader(file);
const options = resolveDetectOptions({}, reader.header);
const state = new WorldState();
const schedule = new KineticPairs(options.tolerance);
let micros = 0;
let handed = 0;
let ticks = 0;
try {
  for (const record of reader.ticks({ to: lastArg === undefined ? 249 : Number(lastArg) })) {
    state.apply(record);
    const before = process.cpuUsage();
    const changes = schedule.update(state, record);
    const used = process.cpuUsage(before);
    if (record.tick < 50) continue;
    micros += used.user + used.system;
    handed += changes.count;
    ticks++;
  }
} finally {
  reader.close();
}
console.log(JSON.stringify({ dist, ticks, msPerTick: micros / 1000 / ticks, handedPerTick: handed / ticks }));
