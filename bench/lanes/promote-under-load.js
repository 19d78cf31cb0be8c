// Measurement 2, one round: closed-loop load through the gateway while gray is deployed at a new version, promoted,
// and default rolled back. Counts failed, misrouted and stale answers by phase (traffic-phases.js), and compares
// the req/s during the operations with the req/s of the same load before them (the baseline phase).
import { setTimeout as sleep } from 'node:timers/promises';
import { composeRevision, deployLane, promoteLane, rollbackLane } from '@lanes/core';
import { startLoad } from './lane-load.js';
import { SERVICES } from './project.js';
import { errorText, percentile } from './stats.js';
import { createTally, trafficPhases } from './traffic-phases.js';

/** How many failure and misroute lines a round keeps for the report. */
const MAX_NOTES = 20;

/**
 * @typedef {object} PhaseResult
 * @property {string} name
 * @property {number} durationMs
 * @property {number} requests
 * @property {number} failed
 * @property {number} misrouted
 * @property {number} stale
 * @property {number} tagged
 * @property {number} taggedToGray
 */

/**
 * @typedef {object} LoadRound
 * @property {'measured' | 'failed'} type failed: an operation did not succeed (reason), the counts still hold
 * @property {string} [reason]
 * @property {PhaseResult[]} phases
 * @property {{ requests: number, failed: number, misrouted: number, stale: number }} totals
 * @property {number} reqPerSec over the whole load run
 * @property {number} baselineReqPerSec before the first operation
 * @property {number} operationsReqPerSec from the start of the gray deploy to the end of the rollback
 * @property {{ p50: number, p99: number, max: number }} latencyMs
 * @property {{ deployGray: number, promote: number, rollback: number }} operationMs
 * @property {boolean} hitTimeLimit
 * @property {string[]} notes the first failures, misroutes and stale answers
 */

/**
 * @param {import('./platform.js').RunningPlatform} platform
 * @param {import('./options.js').Options} options
 * @param {number} round 1-based
 * @param {(line: string) => void} log
 * @returns {Promise<LoadRound>}
 */
export async function measureLoadRound(platform, options, round, log) {
  const { session } = platform;
  const env = session.project.env;
  const grayVersion = `v2-r${round}`;
  const phases = trafficPhases('v1', grayVersion);
  /** @type {string[]} */
  const notes = [];
  const tally = createTally(phases, (line) => {
    if (notes.length < MAX_NOTES) notes.push(line);
  });
  let phase = 0;
  const phaseStarts = [performance.now()];
  /** @param {number} next */
  const enter = (next) => {
    phase = next;
    phaseStarts[next] = performance.now();
  };
  const timeLimitMs = options.timeLimitS * 1000;
  const deadline = Date.now() + timeLimitMs;
  const load = startLoad(`${platform.url}/api/items`, options.clients, timeLimitMs, {
    phase: () => phase,
    onAnswer: tally.answer,
    onFailure: tally.failure,
  });
  const operationMs = { deployGray: Number.NaN, promote: Number.NaN, rollback: Number.NaN };
  /** @type {string | undefined} */
  let reason;
  try {
    await sleep(options.baselineMs);
    const service = /** @type {import('@lanes/core').ServiceModel} */ (session.project.services[SERVICES.api]);
    const spec = composeRevision(service, undefined, { env: { VERSION: grayVersion } });
    const gray = { env, service: SERVICES.api, lane: 'gray' };
    enter(1);
    const deployed = await withDeadline(deployLane(session, gray, { spec }), deadline);
    operationMs.deployGray = performance.now() - /** @type {number} */ (phaseStarts[1]);
    if (deployed.type !== 'deployed') throw new Error(`deploy gray ended '${deployed.type}': ${deployed.message}`);
    enter(2);
    await sleep(options.settleMs);
    enter(3);
    const promoted = await withDeadline(promoteLane(session, gray), deadline);
    operationMs.promote = performance.now() - /** @type {number} */ (phaseStarts[3]);
    if (promoted.type !== 'promoted') throw new Error(`promote gray ended '${promoted.type}': ${promoted.message}`);
    enter(4);
    await sleep(options.settleMs);
    enter(5);
    const rolledBack = await withDeadline(rollbackLane(session, { ...gray, lane: 'default' }), deadline);
    operationMs.rollback = performance.now() - /** @type {number} */ (phaseStarts[5]);
    if (rolledBack.type !== 'deployed') {
      throw new Error(`rollback default ended '${rolledBack.type}': ${rolledBack.message}`);
    }
    enter(6);
    await sleep(options.settleMs);
  } catch (error) {
    reason = errorText(error);
    log(`  FAILED: ${reason}`);
  }
  const run = await load.stop();
  const ended = phaseStarts[0] + run.durationMs;
  const results = phases.map((p, i) => {
    const start = phaseStarts[i];
    const end = phaseStarts.slice(i + 1).find((t) => t !== undefined) ?? ended;
    return { name: p.name, durationMs: start === undefined ? 0 : end - start, ...tally.of(i) };
  });
  const sum = (/** @type {PhaseResult[]} */ list, /** @type {keyof PhaseResult} */ key) =>
    list.reduce((total, p) => total + Number(p[key]), 0);
  const operations = results.slice(1, 6);
  return {
    type: reason === undefined && !run.hitTimeLimit ? 'measured' : 'failed',
    ...(reason !== undefined ? { reason } : run.hitTimeLimit ? { reason: 'load time limit reached' } : {}),
    phases: results,
    totals: {
      requests: sum(results, 'requests'),
      failed: sum(results, 'failed'),
      misrouted: sum(results, 'misrouted'),
      stale: sum(results, 'stale'),
    },
    reqPerSec: sum(results, 'requests') / (run.durationMs / 1000),
    baselineReqPerSec: (results[0]?.requests ?? 0) / ((results[0]?.durationMs ?? Number.NaN) / 1000),
    operationsReqPerSec: sum(operations, 'requests') / (sum(operations, 'durationMs') / 1000),
    latencyMs: {
      p50: percentile(run.latenciesMs, run.count, 50),
      p99: percentile(run.latenciesMs, run.count, 99),
      max: percentile(run.latenciesMs, run.count, 100),
    },
    operationMs,
    hitTimeLimit: run.hitTimeLimit,
    notes,
  };
}

/**
 * An operation that has not finished by the load's hard limit ends the round; it may still finish in the
 * background, and the platform's stop (and the leftover check) cleans up after it.
 * @template T
 * @param {Promise<T>} work
 * @param {number} deadline epoch ms
 * @returns {Promise<T>}
 */
function withDeadline(work, deadline) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('operation still running at the time limit')), deadline - Date.now());
  });
  return /** @type {Promise<T>} */ (Promise.race([work, late])).finally(() => clearTimeout(timer));
}
