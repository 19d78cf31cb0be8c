import { runConformance } from './test-support/conformance.js';

runConformance({ name: 'brute-force', options: { algorithm: 'brute-force' } });
runConformance({ name: 'grid (defaults)', options: { algorithm: 'grid' } });
runConformance({ name: 'grid, skin 0 (rebuild every update)', options: { algorithm: 'grid', skin: 0 } });
runConformance({ name: 'grid, cells smaller than the radius', options: { algorithm: 'grid', cellSize: 0.7 } });
runConformance({ name: 'grid, large skin', options: { algorithm: 'grid', skin: 50 } });
runConformance({
  name: 'grid, 2 worker threads, the caller waits',
  options: { algorithm: 'grid', workers: 2, callerShare: false },
});
runConformance({
  name: 'grid, 3 worker threads, the caller waits, cells smaller than the radius (hashed scan)',
  options: { algorithm: 'grid', workers: 3, callerShare: false, cellSize: 0.7 },
});
runConformance({
  name: 'grid, 2 worker threads, the caller waits, skin 0',
  options: { algorithm: 'grid', workers: 2, callerShare: false, skin: 0 },
});
runConformance({
  name: 'grid, workers: 2 (the calling thread and 1 worker thread)',
  options: { algorithm: 'grid', workers: 2 },
});
runConformance({
  name: 'grid, workers: 3 (the calling thread and 2 worker threads), cells smaller than the radius (hashed scan)',
  options: { algorithm: 'grid', workers: 3, cellSize: 0.7 },
});
