// One target, one round: start it, prove its routing, warm it up, measure it, stop it.
// The outcome is a tagged union: a broken or missing target is a result to report, not a crash of the run.
import { cpuPressure } from './machine-info.js';
import { processCpuSeconds, processTreeCpuSeconds } from './process-cpu.js';
import { checkRouting } from './routing-check.js';
import { runWrk } from './wrk-runner.js';

/**
 * @typedef {object} LaneSplit requests each upstream served during the measured run
 * @property {number} default
 * @property {number} gray
 * @property {boolean} ok whether the split is what the target's routing promises
 */

/**
 * @typedef {object} MeasuredRun
 * @property {'measured'} type
 * @property {import('./wrk-parse.js').WrkResult} result the measured run
 * @property {import('./wrk-parse.js').WrkResult | null} warmup null with --warmup 0
 * @property {LaneSplit} split
 * @property {string[]} routingChecked the routing checks it passed before the load
 * @property {string | null} cpuPressureAfter PSI right after the measured run, to spot a squeezed round
 * @property {number | null} cpuMicrosPerRequest the proxy process's CPU time per request of the measured run
 * @property {string[]} wrkArgs
 */

/**
 * @typedef {MeasuredRun
 *   | { type: 'failed', reason: string }
 *   | { type: 'skipped', reason: string }} Measurement
 */

/**
 * @param {import('./targets.js').Target} target
 * @param {import('./upstreams.js').Upstreams} upstreams
 * @param {import('./options.js').Options} options
 * @param {(line: string) => void} log
 * @returns {Promise<Measurement>}
 */
export async function measureTarget(target, upstreams, options, log) {
  /** @type {import('./targets.js').StartOutcome} */
  let started;
  try {
    started = await target.start(upstreams);
  } catch (error) {
    return { type: 'failed', reason: `did not start: ${message(error)}` };
  }
  if (started.type === 'skipped') return started;
  try {
    const routing = await checkRouting(started.url, target.rule);
    if (routing.type === 'wrong') return { type: 'failed', reason: `routing check failed: ${routing.reason}` };
    const shape = { threads: options.threads, connections: options.connections, timeout: options.timeout };
    let warmup = null;
    if (options.warmupSeconds > 0) {
      log(`  warm-up ${options.warmupSeconds} s`);
      warmup = (await runWrk(shape, options.warmupSeconds, started.url, target.traced)).result;
    }
    log(`  measuring ${options.durationSeconds} s`);
    const before = await upstreams.counts();
    const cpu = () =>
      started.treePid !== undefined ? processTreeCpuSeconds(started.treePid) : processCpuSeconds(started.pid);
    const cpuBefore = cpu();
    const measured = await runWrk(shape, options.durationSeconds, started.url, target.traced);
    const cpuAfter = cpu();
    const after = await upstreams.counts();
    const cpuMicrosPerRequest =
      cpuBefore !== null && cpuAfter !== null && measured.result.requests > 0
        ? ((cpuAfter - cpuBefore) * 1e6) / measured.result.requests
        : null;
    const split = laneSplit(before, after, target.rule !== 'none', options.connections);
    return {
      type: 'measured',
      result: measured.result,
      warmup,
      split,
      routingChecked: routing.checked,
      cpuPressureAfter: cpuPressure(),
      cpuMicrosPerRequest,
      wrkArgs: measured.args,
    };
  } catch (error) {
    return { type: 'failed', reason: message(error) };
  } finally {
    await started.stop();
  }
}

/**
 * The load alternates tagged and untagged requests, so a routing target must split it evenly; the direct run
 * sends everything to the default upstream. Slack covers requests still in flight when the counts were read.
 * @param {import('./upstreams.js').LaneCounts} before
 * @param {import('./upstreams.js').LaneCounts} after
 * @param {boolean} routes
 * @param {number} connections
 * @returns {LaneSplit}
 */
function laneSplit(before, after, routes, connections) {
  const split = { default: after.default - before.default, gray: after.gray - before.gray };
  const total = split.default + split.gray;
  const slack = Math.max(total * 0.01, 2 * connections);
  const ok = routes ? Math.abs(split.default - split.gray) <= slack : split.gray <= slack;
  return { ...split, ok };
}

/** @param {unknown} error */
function message(error) {
  return error instanceof Error ? error.message : String(error);
}
