// The C++ grid peer of bench/aoi/native.js: built from bench/aoi/native/grid-aoi.cpp with the machine's g++ at -O2
// into a cache directory keyed by the source's hash (so an edited source is rebuilt), fed positions through a file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./native/grid-aoi.cpp', import.meta.url));
/**
 * -O2 as the issue asks; -ffp-contract=off keeps `dx * dx + dy * dy` two roundings as in JavaScript (x86-64 without
 * -march has no FMA anyway, so this costs nothing), so its enters and leaves can equal the oracle's exactly.
 */
const FLAGS = ['-O2', '-std=c++17', '-ffp-contract=off'];

/** Compiles the peer unless the cached binary for this source and these flags exists; returns its path. */
export function buildPeer() {
  const source = readFileSync(SOURCE);
  const key = createHash('sha256').update(source).update(FLAGS.join(' ')).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'lanes-aoi-native', key);
  const binary = path.join(dir, 'grid-aoi');
  if (existsSync(binary)) return { binary, built: false };
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  const cc = spawnSync('g++', [...FLAGS, '-o', partial, SOURCE], { encoding: 'utf8' });
  if (cc.error) throw new Error(`bench/aoi: cannot run g++ (${cc.error.message}); install g++ to run the C++ peer.`);
  if (cc.status !== 0) throw new Error(`bench/aoi: g++ failed on ${SOURCE}:\n${cc.stderr}`);
  renameSync(partial, binary);
  return { binary, built: true };
}

/** g++ --version's first line, for the report. */
export function compilerVersion() {
  return spawnSync('g++', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'g++ (unknown)';
}

/**
 * Writes a scenario in the peer's input format: "AOIP", u32 version 1, u32 n, u32 frames, f64 half, f64 view
 * radius, f64 leave radius, then per frame n f64 x and n f64 y (little-endian, as the machine's typed arrays).
 * @param {string} file
 * @param {import('./scenario.js').Scenario} scenario
 * @param {number} leaveRadius
 */
export function writePositions(file, scenario, leaveRadius) {
  if (os.endianness() !== 'LE') throw new Error('bench/aoi: the positions file is little-endian only.');
  const header = Buffer.alloc(40);
  header.write('AOIP', 0, 'latin1');
  header.writeUInt32LE(1, 4);
  header.writeUInt32LE(scenario.n, 8);
  header.writeUInt32LE(scenario.xs.length, 12);
  header.writeDoubleLE(scenario.half, 16);
  header.writeDoubleLE(scenario.radius, 24);
  header.writeDoubleLE(leaveRadius, 32);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, header);
    for (let t = 0; t < scenario.xs.length; t++) {
      writeSync(fd, new Uint8Array(scenario.xs[t].buffer));
      writeSync(fd, new Uint8Array(scenario.ys[t].buffer));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs the peer on a positions file; returns its per-tick times and checksums.
 * @param {string} binary
 * @param {string} file
 * @returns {{ ticks: number, wallMs: number[], cpuMs: number[], enters: number, leaves: number, enterHash: number, leaveHash: number }}
 */
export function runPeer(binary, file) {
  const run = spawnSync(binary, [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`C++ peer failed (exit ${run.status}, ${run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** murmur3's finalizer, as in grid-aoi.cpp. */
function fmix32(/** @type {number} */ value) {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order-free checksum term of one event (the peer's `eventHash`); sums are taken mod 2^32. */
export const eventHash = (/** @type {number} */ watcher, /** @type {number} */ target) =>
  fmix32((Math.imul(watcher, 0x9e3779b1) ^ target) >>> 0);
