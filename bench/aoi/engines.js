// Every engine behind one shape: add all entities, then per tick apply all positions and count enters and leaves.
import { AoiWorld } from '@lanes/aoi';
import { RbushAoi } from './rbush-aoi.js';
import { TextbookGrid } from './textbook-grid.js';

/**
 * @typedef {object} Engine
 * @property {(id: number, x: number, y: number) => void} add
 * @property {(xs: Float64Array, ys: Float64Array) => { enters: number, leaves: number }} tick
 *   apply every entity's position, then compute and collect every enter and leave
 */

/**
 * @param {import('@lanes/aoi').WorldOptions} options
 * @param {number} radius
 * @param {boolean} [statsEveryTick] also call world.stats() (occupancy count included) after every tick
 * @returns {Engine}
 */
function ours(options, radius, statsEveryTick = false) {
  const world = new AoiWorld({ ...options, mode: 'batched' });
  return {
    add: (id, x, y) => world.add(id, { x, y, viewRadius: radius }),
    tick(xs, ys) {
      for (let i = 0; i < xs.length; i++) world.move(i, xs[i], ys[i]);
      const batch = world.tick();
      if (statsEveryTick && world.stats().occupancy === null) throw new Error('grid without occupancy');
      return { enters: batch.enterCount, leaves: batch.leaveCount };
    },
  };
}

/**
 * @param {{ add(id: number, x: number, y: number): void, move(id: number, x: number, y: number): void, tick(): { enters: number, leaves: number } }} peer
 * @returns {Engine}
 */
function peer(peer) {
  return {
    add: (id, x, y) => peer.add(id, x, y),
    tick(xs, ys) {
      for (let i = 0; i < xs.length; i++) peer.move(i, xs[i], ys[i]);
      return peer.tick();
    },
  };
}

/**
 * @typedef {object} EngineSpec
 * @property {string} id
 * @property {string} label
 * @property {(radius: number) => Engine} create
 * @property {number} [runs] runs for this engine (default: the run's --runs)
 */

/** @type {EngineSpec[]} */
export const engines = [
  { id: 'grid', label: '@lanes/aoi grid (default)', create: (r) => ours({ algorithm: 'grid' }, r) },
  {
    id: 'grid-skin0',
    label: '@lanes/aoi grid, skin 0 (full grid pass every tick)',
    create: (r) => ours({ algorithm: 'grid', skin: 0 }, r),
  },
  {
    id: 'grid-metrics',
    label: '@lanes/aoi grid, metrics: true (update latency timed)',
    create: (r) => ours({ algorithm: 'grid', metrics: true }, r),
  },
  {
    id: 'grid-stats',
    label: '@lanes/aoi grid, metrics: true + stats() every tick',
    create: (r) => ours({ algorithm: 'grid', metrics: true }, r, true),
  },
  { id: 'textbook', label: 'textbook JS grid (Map + Set per view)', create: (r) => peer(new TextbookGrid(r)) },
  { id: 'rbush', label: 'rbush AOI (bulk load per tick)', create: (r) => peer(new RbushAoi(r)) },
  {
    id: 'brute-force',
    label: '@lanes/aoi brute-force (oracle)',
    create: (r) => ours({ algorithm: 'brute-force' }, r),
    runs: 1,
  },
];
