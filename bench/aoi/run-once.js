// One timed run of an engine over a scenario, shared by run.js and metrics-cost.js.

/**
 * One run: fresh engine, add all, one untimed fill tick, then the timed ticks.
 * @param {import('./engines.js').EngineSpec} spec
 * @param {import('./scenario.js').Scenario} scenario
 */
export function runOnce(spec, scenario) {
  const engine = spec.create(scenario.radius);
  const { xs, ys, n, ticks } = scenario;
  for (let i = 0; i < n; i++) engine.add(i, xs[0][i], ys[0][i]);
  engine.tick(xs[1], ys[1]);
  let enters = 0;
  let leaves = 0;
  const start = process.hrtime.bigint();
  for (let t = 2; t < ticks + 2; t++) {
    const counts = engine.tick(xs[t], ys[t]);
    enters += counts.enters;
    leaves += counts.leaves;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { msPerTick: ms / ticks, enters, leaves };
}
