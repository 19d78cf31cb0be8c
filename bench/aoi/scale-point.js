#!/usr/bin/env node
// One point of the scale curves (bench/aoi/scale.js runs each in a fresh process, so points don't share a heap):
// n entities of the moving crowd in [-half, half]^2, our grid in batched mode. Prints one JSON line on stdout.
// Run with --expose-gc: memory is measured after forced collections.
import { AoiWorld } from '@lanes/aoi';
import { MovingCrowd } from '@lanes/aoi-trace';

const USAGE = 'node --expose-gc bench/aoi/scale-point.js --n <entities> --half <M> --ticks <timed ticks>';

/** @param {string[]} argv */
function parse(argv) {
  const options = { n: 0, half: 0, ticks: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    if (key !== 'n' && key !== 'half' && key !== 'ticks') throw new Error(`Unknown argument ${argv[i]}.\n${USAGE}`);
    options[key] = Number(argv[i + 1]);
  }
  if (!(Number.isInteger(options.n) && options.n > 0 && options.n <= 2 ** 25))
    throw new Error(`--n: 1..2^25.\n${USAGE}`);
  if (!(options.half > 0)) throw new Error(`--half must be > 0.\n${USAGE}`);
  if (!(Number.isInteger(options.ticks) && options.ticks > 0)) throw new Error(`--ticks must be >= 1.\n${USAGE}`);
  return options;
}

/** Heap plus array buffers (typed arrays live outside the V8 heap) after two full collections. */
function memory() {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes of the typed arrays an object holds (own properties, one level down into plain objects). */
function typedBytes(/** @type {any} */ object) {
  let bytes = 0;
  for (const value of Object.values(object)) {
    if (ArrayBuffer.isView(value)) bytes += value.byteLength;
    else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
      bytes += typedBytes(value);
  }
  return bytes;
}

function main() {
  const { n, half, ticks } = parse(process.argv.slice(2));
  const radius = 100;
  const crowd = new MovingCrowd({ n, half, seed: 12345, step: 0.6 });
  const { x, y } = crowd;
  const before = memory();
  const world = new AoiWorld({ mode: 'batched' });
  const buildStart = process.hrtime.bigint();
  for (let i = 0; i < n; i++) world.add(i, { x: x[i], y: y[i], viewRadius: radius });
  crowd.advance();
  for (let i = 0; i < n; i++) world.move(i, x[i], y[i]);
  let views = world.tick().enterCount;
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
  // The grid's internals, read for the report only: neighbour-list pairs drive the tick's cost.
  const grid = /** @type {any} */ (world).impl;
  const rebuildsBefore = grid.rebuilds;
  const cpuStart = process.cpuUsage();
  let totalNs = 0n;
  let maxNs = 0n;
  let enters = 0;
  let leaves = 0;
  for (let t = 0; t < ticks; t++) {
    crowd.advance();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) world.move(i, x[i], y[i]);
    const batch = world.tick();
    const ns = process.hrtime.bigint() - start;
    totalNs += ns;
    if (ns > maxNs) maxNs = ns;
    enters += batch.enterCount;
    leaves += batch.leaveCount;
  }
  const cpu = process.cpuUsage(cpuStart);
  views += enters - leaves;
  const after = memory();
  const result = {
    n,
    half,
    ticks,
    buildMs,
    msPerTick: Number(totalNs) / 1e6 / ticks,
    maxMs: Number(maxNs) / 1e6,
    // CPU time of the whole timed loop (positions advanced outside the clock are in it too, a few % of a tick):
    // steadier than wall time on a loaded machine.
    cpuMsPerTick: (cpu.user + cpu.system) / 1000 / ticks,
    rebuilds: grid.rebuilds - rebuildsBefore,
    pairs: grid.pairs.count,
    views,
    enters,
    leaves,
    bytes: after - before,
    bytesPerEntity: (after - before) / n,
    // Where the bytes are (internals, for the report): the neighbour list and its double buffer, and the event
    // buffers, which keep the high-water mark of one tick's events (the fill tick: every view enters at once).
    listBytes: typedBytes(grid.pairs) + typedBytes(grid.spare),
    eventBytes: typedBytes(/** @type {any} */ (world).pending) + typedBytes(/** @type {any} */ (world).batch),
    size: world.size,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
