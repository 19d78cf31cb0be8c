import { AoiWorld } from '@lanes/aoi';
import type { TraceSink } from '../model/types.js';
import { recordWorld } from '../record/recorder.js';
import { InjectingSink } from './inject/injecting-sink.js';
import type { Injection, InjectionKind } from './inject/types.js';
import { mulberry32, randomHex } from './mulberry32.js';
import { type ResolvedSimulateOptions, resolveSimulateOptions, type SimulateOptions } from './options.js';
import { aoiTestingDriver } from './scenarios/aoitesting.js';
import { borderCrowdDriver } from './scenarios/border-crowd.js';
import type { ScenarioDriver } from './scenarios/driver.js';
import { floorsDriver } from './scenarios/floors.js';
import { randomWalkDriver } from './scenarios/random-walk.js';

export interface SimulateSummary {
  /** The options after defaults. */
  options: ResolvedSimulateOptions;
  ticks: number;
  /** Visibility events the engine produced. */
  engineEvents: number;
  /** Visibility events written to the sink (after injection). */
  recordedEvents: number;
  /** Exact number of faults of each kind. */
  injected: Record<InjectionKind, number>;
  /** The faults one by one, in the order they were made, up to `maxInjectionsListed`. */
  injections: Injection[];
  /** True when `injections` does not list them all. */
  injectionsTruncated: boolean;
}

function driverFor(options: ResolvedSimulateOptions): ScenarioDriver {
  switch (options.scenario) {
    case 'aoitesting-dense':
    case 'aoitesting-sparse':
      return aoiTestingDriver(options);
    case 'random-walk':
      return randomWalkDriver(options);
    case 'border-crowd':
      return borderCrowdDriver(options);
    case 'floors':
      return floorsDriver(options);
  }
}

/**
 * Runs the real engine (batched mode) on a seeded scenario, records every tick into `sink` through
 * {@link recordWorld}, with the bugs of `options.inject` applied to what gets recorded. Deterministic: the same
 * options give the same records (times come from the synthetic clock, span ids from the seed).
 */
export function simulate(options: SimulateOptions, sink: TraceSink): SimulateSummary {
  const o = resolveSimulateOptions(options);
  const ids = mulberry32(o.seed ^ 0x1d5);
  const traceId = randomHex(ids, 32);
  const injecting = new InjectingSink(sink, o.inject, o.ticks - 1, o.maxInjectionsListed);
  const world = new AoiWorld({ mode: 'batched', algorithm: o.algorithm });
  const recorder = recordWorld(world, injecting, {
    traceId,
    now: () => o.startTime,
    regionSize: o.regionSize,
    source: `@lanes/aoi-trace simulate ${o.scenario} (${o.algorithm})`,
    tagNames: ['player', 'item'],
    attributes: {
      scenario: o.scenario,
      seed: String(o.seed),
      'simulate.options': JSON.stringify({ ...o, inject: undefined }),
      'simulate.inject': JSON.stringify(o.inject),
    },
  });
  const driver = driverFor(o);
  try {
    for (let tick = 0; tick < o.ticks; tick++) {
      if (tick === 0) driver.start(world, recorder);
      else driver.step(world, recorder, tick);
      recorder.tick({ time: o.startTime + tick * o.tickMs, span: { traceId, spanId: randomHex(ids, 16) } });
    }
  } finally {
    recorder.close();
  }
  return {
    options: o,
    ticks: o.ticks,
    engineEvents: injecting.engineEvents,
    recordedEvents: injecting.recordedEvents,
    injected: { ...injecting.log.counts },
    injections: injecting.log.list,
    injectionsTruncated: injecting.log.truncated,
  };
}
