import type { AoiAlgorithm } from './algorithm.js';
import { BruteForceAlgorithm } from './brute-force.js';
import type { EntityStore } from './entity-store.js';
import { AoiError, AoiErrorCode } from './errors.js';
import { GridAlgorithm } from './grid.js';
import { ParallelGridAlgorithm } from './parallel-grid.js';
import type { AlgorithmName, WorldOptions } from './types.js';
import { checkCallerShare, checkWorkers } from './validate.js';

/** The threads of a batched tick: worker threads started for it, and whether the caller's thread takes a share. */
export interface ThreadLayout {
  /** 0: the plain single-threaded engine (no pool, no shared memory). */
  workerThreads: number;
  callerShare: boolean;
}

/**
 * The `workers` and `callerShare` options as threads. `workers: n` counts the threads that share a tick, the
 * caller's included (as OpenMP's num_threads counts its master thread): the caller and n - 1 worker threads, or,
 * with `callerShare: false`, n worker threads while the caller waits. 0 and 1 leave the caller's thread alone.
 */
export function threadLayout(options: WorldOptions): ThreadLayout {
  const workers = checkWorkers(options.workers);
  const callerShare = checkCallerShare(options.callerShare);
  return { workerThreads: callerShare ? Math.max(0, workers - 1) : workers, callerShare };
}

/** The algorithm a world runs: the grid (on worker threads with `workers` > 1) or the brute-force oracle. */
export const createAlgorithm = (
  name: AlgorithmName,
  store: EntityStore,
  options: WorldOptions,
  { workerThreads, callerShare }: ThreadLayout,
): AoiAlgorithm => {
  if (name === 'grid') {
    const gridOptions: { skin?: number; cellSize?: number } = {};
    if (options.skin !== undefined) gridOptions.skin = options.skin;
    if (options.cellSize !== undefined) gridOptions.cellSize = options.cellSize;
    return workerThreads > 0
      ? new ParallelGridAlgorithm(store, gridOptions, workerThreads, callerShare)
      : new GridAlgorithm(store, gridOptions);
  }
  if (workerThreads > 0) {
    throw new AoiError(
      AoiErrorCode.InvalidOption,
      `workers needs algorithm 'grid' for worker threads (workers 0 and 1 run on the caller's thread), got ${String(name)}.`,
    );
  }
  if (name === 'brute-force') return new BruteForceAlgorithm(store);
  throw new AoiError(AoiErrorCode.InvalidOption, `algorithm must be 'grid' or 'brute-force', got ${String(name)}.`);
};
