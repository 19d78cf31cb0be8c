// Run options: flags win over environment variables, which win over the defaults.
// `node bench/lanes/run.js --rounds 5 --clients 32`
import { collectFlags, UsageError } from '../common/flags.js';

/**
 * @typedef {object} Options
 * @property {number} rounds rounds of each measurement; the median is reported (default 3)
 * @property {number} lanes lanes deployed at once in the parallel step (default 8)
 * @property {number} clients closed-loop load clients during promote/rollback, half tagged gray (default 16)
 * @property {number} replicas replicas per lane of the service under load (default 2)
 * @property {number} baselineMs load before the first operation: the steady-state req/s peer (default 2000)
 * @property {number} settleMs load between two operations, and after the last one (default 500)
 * @property {number} timeLimitS hard limit of one load run, whatever the operations do (default 120)
 * @property {string | null} portRange replica ports, e.g. 31000-31999; null picks a random window
 */

/** A mistake in the flags or BENCH_LANES_* variables: reported as its message alone, without a stack trace. */
export { UsageError };

/** @type {Record<string, { env: string, key: keyof Options, kind: 'int' | 'string', min?: number }>} */
const FLAGS = {
  '--rounds': { env: 'BENCH_LANES_ROUNDS', key: 'rounds', kind: 'int', min: 1 },
  '--lanes': { env: 'BENCH_LANES_LANES', key: 'lanes', kind: 'int', min: 2 },
  '--clients': { env: 'BENCH_LANES_CLIENTS', key: 'clients', kind: 'int', min: 2 },
  '--replicas': { env: 'BENCH_LANES_REPLICAS', key: 'replicas', kind: 'int', min: 1 },
  '--baseline-ms': { env: 'BENCH_LANES_BASELINE_MS', key: 'baselineMs', kind: 'int', min: 100 },
  '--settle-ms': { env: 'BENCH_LANES_SETTLE_MS', key: 'settleMs', kind: 'int', min: 0 },
  '--time-limit': { env: 'BENCH_LANES_TIME_LIMIT', key: 'timeLimitS', kind: 'int', min: 5 },
  '--port-range': { env: 'BENCH_LANES_PORT_RANGE', key: 'portRange', kind: 'string' },
};

export const USAGE = `Usage: node bench/lanes/run.js [options]
  --rounds <n>        rounds of each measurement, median reported (env BENCH_LANES_ROUNDS, default 3)
  --lanes <n>         lanes deployed at once                      (env BENCH_LANES_LANES, default 8)
  --clients <n>       load clients, half tagged gray              (env BENCH_LANES_CLIENTS, default 16)
  --replicas <n>      replicas per lane of the loaded service     (env BENCH_LANES_REPLICAS, default 2)
  --baseline-ms <ms>  load before the first operation             (env BENCH_LANES_BASELINE_MS, default 2000)
  --settle-ms <ms>    load between operations and after the last  (env BENCH_LANES_SETTLE_MS, default 500)
  --time-limit <s>    hard limit of one load run                  (env BENCH_LANES_TIME_LIMIT, default 120)
  --port-range <a-b>  replica ports (LANES_PORT_RANGE)            (env BENCH_LANES_PORT_RANGE, default random)`;

/**
 * @param {string[]} argv arguments after the script name
 * @param {Record<string, string | undefined>} env
 * @returns {Options}
 */
export function parseOptions(argv, env) {
  /** @type {Options} */
  const options = {
    rounds: 3,
    lanes: 8,
    clients: 16,
    replicas: 2,
    baselineMs: 2000,
    settleMs: 500,
    timeLimitS: 120,
    portRange: null,
  };
  const given = collectFlags(argv, env, FLAGS, USAGE);
  for (const [flag, value] of given) {
    const spec = /** @type {(typeof FLAGS)[string]} */ (FLAGS[flag]);
    if (spec.kind === 'string') {
      /** @type {any} */ (options)[spec.key] = value;
      continue;
    }
    if (!/^\d+$/.test(value)) throw new UsageError(`Option ${flag} needs a whole number, got '${value}'.`);
    if (Number(value) < (spec.min ?? 0)) throw new UsageError(`Option ${flag} must be at least ${spec.min}.`);
    /** @type {any} */ (options)[spec.key] = Number(value);
  }
  if (options.portRange !== null && !/^\d+-\d+$/.test(options.portRange)) {
    throw new UsageError(`--port-range must look like 31000-31999, got '${options.portRange}'.`);
  }
  return options;
}
