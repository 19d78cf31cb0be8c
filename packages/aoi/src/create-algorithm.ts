import type { AoiAlgorithm } from './algorithm.js';
import { BruteForceAlgorithm } from './brute-force.js';
import type { EntityStore } from './entity-store.js';
import { AoiError, AoiErrorCode } from './errors.js';
import { GridAlgorithm } from './grid.js';
import { ParallelGridAlgorithm } from './parallel-grid.js';
import type { AlgorithmName, WorldOptions } from './types.js';
import { checkWorkers } from './validate.js';

/** The algorithm a world runs: the grid (on worker threads with `workers`) or the brute-force oracle. */
export const createAlgorithm = (name: AlgorithmName, store: EntityStore, options: WorldOptions): AoiAlgorithm => {
  if (name === 'grid') {
    const gridOptions: { skin?: number; cellSize?: number } = {};
    if (options.skin !== undefined) gridOptions.skin = options.skin;
    if (options.cellSize !== undefined) gridOptions.cellSize = options.cellSize;
    const workers = checkWorkers(options.workers);
    return workers > 0
      ? new ParallelGridAlgorithm(store, gridOptions, workers, options.callerShare === true)
      : new GridAlgorithm(store, gridOptions);
  }
  if (checkWorkers(options.workers) > 0) {
    throw new AoiError(AoiErrorCode.InvalidOption, `workers needs algorithm 'grid', got ${String(name)}.`);
  }
  if (name === 'brute-force') return new BruteForceAlgorithm(store);
  throw new AoiError(AoiErrorCode.InvalidOption, `algorithm must be 'grid' or 'brute-force', got ${String(name)}.`);
};
