// Run options: flags win over environment variables, which win over the defaults.
// `node bench/gateway/run.js --duration 3 --warmup 2 --only nginx-1,bare-1`
import { collectFlags, UsageError } from '../common/flags.js';

/**
 * @typedef {object} Options
 * @property {number} durationSeconds measured run per target (default 10)
 * @property {number} warmupSeconds warm-up run per target, discarded (default 10)
 * @property {number} threads wrk -t (default 1)
 * @property {number} connections wrk -c (default 64)
 * @property {string} timeout wrk --timeout (default '2s')
 * @property {number} rounds times the whole target list is run; the median round is reported (default 1)
 * @property {string[] | null} only target ids to run, null for all
 */

/** A mistake in the flags or BENCH_* variables: reported as its message alone, without a stack trace. */
export { UsageError };

/** @type {Record<string, { env: string, key: keyof Options, kind: 'int' | 'string' | 'list' }>} */
const FLAGS = {
  '--duration': { env: 'BENCH_DURATION', key: 'durationSeconds', kind: 'int' },
  '--warmup': { env: 'BENCH_WARMUP', key: 'warmupSeconds', kind: 'int' },
  '--threads': { env: 'BENCH_THREADS', key: 'threads', kind: 'int' },
  '--connections': { env: 'BENCH_CONNECTIONS', key: 'connections', kind: 'int' },
  '--timeout': { env: 'BENCH_TIMEOUT', key: 'timeout', kind: 'string' },
  '--rounds': { env: 'BENCH_ROUNDS', key: 'rounds', kind: 'int' },
  '--only': { env: 'BENCH_ONLY', key: 'only', kind: 'list' },
};

export const USAGE = `Usage: node bench/gateway/run.js [options]
  --duration <s>      measured seconds per target      (env BENCH_DURATION, default 10)
  --warmup <s>        warm-up seconds per target, 0=no (env BENCH_WARMUP, default 10)
  --threads <n>       wrk threads                      (env BENCH_THREADS, default 1)
  --connections <n>   wrk connections                  (env BENCH_CONNECTIONS, default 64)
  --timeout <t>       wrk --timeout                    (env BENCH_TIMEOUT, default 2s)
  --rounds <n>        repeat all targets, report median (env BENCH_ROUNDS, default 1)
  --only <ids>        comma-separated target ids       (env BENCH_ONLY, default all)
Target ids: direct, nginx-1, nginx-2, bare-1, bare-2, gateway-1, gateway-2, nginx-engine-1, nginx-engine-2,
nginx-engine-1-log (the nginx engine with its metrics access log), and gateway-1-<variant> for each
variant in gateway-variants.js (gateway-1-plain, gateway-1-leaks, gateway-1-admission, gateway-1-both): the same gateway on a traced load`;

/**
 * @param {string[]} argv arguments after the script name
 * @param {Record<string, string | undefined>} env
 * @returns {Options}
 */
export function parseOptions(argv, env) {
  /** @type {Options} */
  const options = {
    durationSeconds: 10,
    warmupSeconds: 10,
    threads: 1,
    connections: 64,
    timeout: '2s',
    rounds: 1,
    only: null,
  };
  const given = collectFlags(argv, env, FLAGS, USAGE);
  for (const [flag, value] of given) {
    const spec = /** @type {(typeof FLAGS)[string]} */ (FLAGS[flag]);
    /** @type {any} */ (options)[spec.key] = convert(flag, value, spec.kind);
  }
  const minimum = { durationSeconds: 1, warmupSeconds: 0, threads: 1, connections: 1, rounds: 1 };
  for (const [key, min] of Object.entries(minimum)) {
    const value = /** @type {number} */ (options[/** @type {keyof Options} */ (key)]);
    if (value < min) throw new UsageError(`${key} must be at least ${min}, got ${value}.`);
  }
  if (options.connections < options.threads) throw new UsageError('wrk needs at least one connection per thread.');
  return options;
}

/**
 * @param {string} flag
 * @param {string} value
 * @param {'int' | 'string' | 'list'} kind
 */
function convert(flag, value, kind) {
  if (kind === 'list') return value.split(',').map((item) => item.trim());
  if (kind === 'string') return value;
  if (!/^\d+$/.test(value)) throw new UsageError(`Option ${flag} needs a whole number, got '${value}'.`);
  return Number(value);
}
