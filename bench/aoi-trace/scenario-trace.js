// The engine benchmark's moving-tick scenario (bench/aoi/scenario.js) run through AoiWorld + recordWorld: the ticks
// the size and encode measurements use, and the recorder's cost on the engine tick.
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld } from '@lanes/aoi-trace';

/** Fixed clock so that two recordings of one scenario are byte-identical. */
const clock = () => {
  let t = 1_764_000_000_000;
  return () => (t += 100);
};

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * The span of recorded tick `t`: counted, not the recorder's default random span id, which would make two runs of
 * one command differ in a few bytes (every cycled tick repeats a recorded span).
 * @param {number} t
 */
const tickSpan = (t) => ({ traceId: TRACE_ID, spanId: (t + 1).toString(16).padStart(16, '0') });

/**
 * Records the scenario: tick 0 adds every entity, tick 1 is the fill tick, then `scenario.ticks` moving ticks.
 * @param {import('../aoi/scenario.js').Scenario} scenario
 * @param {{ quantum?: number, epsilon?: number }} [options]
 * @returns {MemoryTrace}
 */
export function recordScenario(scenario, options = {}) {
  return record(scenario, options, false);
}

/**
 * Like {@link recordScenario}, then the same path walked back to the fill tick's positions (ticks xs[ticks]..xs[1]),
 * so the world after the last tick equals the world after tick 1 (no hysteresis: views follow positions). Its
 * moving ticks can be cycled into a long trace that stays a legal engine recording, which the detectors must find
 * clean (cycling the forward ticks alone jumps the positions back every cycle without the events of that jump).
 * @param {import('../aoi/scenario.js').Scenario} scenario
 * @param {{ quantum?: number, epsilon?: number }} [options]
 * @returns {MemoryTrace}
 */
export function recordRoundTrip(scenario, options = {}) {
  return record(scenario, options, true);
}

/**
 * @param {import('../aoi/scenario.js').Scenario} scenario
 * @param {{ quantum?: number, epsilon?: number }} options
 * @param {boolean} back
 */
function record(scenario, options, back) {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  const recorder = recordWorld(world, trace, {
    now: clock(),
    traceId: TRACE_ID,
    attributes: { scenario: `aoi-moving M=${scenario.half}` },
    ...options,
  });
  const { n, xs, ys } = scenario;
  let recorded = 0;
  const tick = () => recorder.tick({ span: tickSpan(recorded++) });
  for (let i = 0; i < n; i++) world.add(i, { x: xs[0][i], y: ys[0][i], viewRadius: scenario.radius });
  tick();
  for (let t = 1; t < scenario.ticks + 2; t++) {
    for (let i = 0; i < n; i++) world.move(i, xs[t][i], ys[t][i]);
    tick();
  }
  for (let t = scenario.ticks; back && t >= 1; t--) {
    for (let i = 0; i < n; i++) world.move(i, xs[t][i], ys[t][i]);
    tick();
  }
  recorder.close();
  return trace;
}

/**
 * Milliseconds per engine tick over the timed ticks, with an optional sink attached through the recorder.
 * @param {import('../aoi/scenario.js').Scenario} scenario
 * @param {import('@lanes/aoi-trace').TraceSink | null} sink
 */
export function timeEngineTicks(scenario, sink) {
  const world = new AoiWorld({ mode: 'batched' });
  const recorder = sink ? recordWorld(world, sink, { now: clock() }) : null;
  const tick = () => (recorder ? recorder.tick() : world.tick());
  const { n, xs, ys } = scenario;
  for (let i = 0; i < n; i++) world.add(i, { x: xs[0][i], y: ys[0][i], viewRadius: scenario.radius });
  tick();
  for (let i = 0; i < n; i++) world.move(i, xs[1][i], ys[1][i]);
  tick();
  const start = process.hrtime.bigint();
  for (let t = 2; t < scenario.ticks + 2; t++) {
    for (let i = 0; i < n; i++) world.move(i, xs[t][i], ys[t][i]);
    tick();
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  recorder?.close();
  return ms / scenario.ticks;
}

/** A sink that keeps nothing: the recorder's own cost. */
export const nullSink = { begin() {}, writeTick() {} };
