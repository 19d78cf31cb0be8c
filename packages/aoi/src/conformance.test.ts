import { runConformance } from './test-support/conformance.js';

runConformance({ name: 'brute-force', options: { algorithm: 'brute-force' } });
runConformance({ name: 'grid (defaults)', options: { algorithm: 'grid' } });
runConformance({ name: 'grid, skin 0 (rebuild every update)', options: { algorithm: 'grid', skin: 0 } });
runConformance({ name: 'grid, cells smaller than the radius', options: { algorithm: 'grid', cellSize: 0.7 } });
runConformance({ name: 'grid, large skin', options: { algorithm: 'grid', skin: 50 } });
runConformance({ name: 'grid, 2 workers', options: { algorithm: 'grid', workers: 2 } });
runConformance({
  name: 'grid, 3 workers, cells smaller than the radius (hashed scan)',
  options: { algorithm: 'grid', workers: 3, cellSize: 0.7 },
});
runConformance({ name: 'grid, 2 workers, skin 0', options: { algorithm: 'grid', workers: 2, skin: 0 } });
runConformance({
  name: 'grid, 1 worker plus a share on the calling thread',
  options: { algorithm: 'grid', workers: 1, callerShare: true },
});
runConformance({
  name: 'grid, 2 workers plus a share on the calling thread, cells smaller than the radius (hashed scan)',
  options: { algorithm: 'grid', workers: 2, callerShare: true, cellSize: 0.7 },
});
