// The random-walk trace of the predicted-events benchmarks (predict.js, predict-passes.js): 2,000 entities, 300
// ticks, view 60 / leave 70, step 3, seed 1 (docs/benchmarks.md, "aoi-trace: predicted events").
import { MemoryTrace, simulate } from '@lanes/aoi-trace';

/** @returns {MemoryTrace} */
export function randomWalk() {
  const trace = new MemoryTrace();
  simulate(
    { scenario: 'random-walk', entities: 2000, ticks: 300, viewRadius: 60, leaveRadius: 70, step: 3, seed: 1 },
    trace,
  );
  return trace;
}
