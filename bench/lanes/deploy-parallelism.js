// Measurement 1, one round: how long deploying N new lanes at once takes next to deploying one, and next to the
// same N lanes one after another; and, as the peer, starting 1 and N fixture processes without the platform.
// Every round starts and ends with no lane but default, so each creates its lanes anew. No load meanwhile.
import { composeRevision, deleteLane, deployLane } from '@lanes/core';
import { request } from 'undici';
import { bareSpawn } from './bare-spawn.js';
import { SERVICES } from './project.js';
import { errorText } from './stats.js';

/**
 * Where one deploy's time went, from the platform's events (ms; NaN when an event is missing).
 * @typedef {object} LaneTiming
 * @property {string} lane
 * @property {number} totalMs from the deployLane call to its result
 * @property {number} toSpawnMs call to REPLICA_STARTING: lock, revision, port
 * @property {number} spawnToHealthyMs REPLICA_STARTING to the last REPLICA_HEALTHY: process start + health polls
 * @property {number} healthyToShiftedMs to TRAFFIC_SHIFTED: state write and gateway reload
 * @property {number} shiftedToDoneMs to the result: draining and stopping the old replicas, if any
 */

/**
 * @typedef {object} Step one timed step
 * @property {number} wallMs from the first deploy call to the last result
 * @property {LaneTiming[]} lanes
 */

/**
 * @typedef {object} DeployRound
 * @property {'measured'} type
 * @property {{ one: number, many: number }} bareSpawnMs the peer: 1 and N fixture processes, no platform
 * @property {Step} one 1 new lane
 * @property {Step} parallel N new lanes, Promise.all
 * @property {Step} sequentialUpdate the same N lanes, one after another, each at a new revision (rolling replace)
 * @property {Step} sequentialNew N new lanes, one after another (the like-for-like peer of `parallel`)
 * @property {number} deleteParallelMs deleting the N lanes at once, between the two sequential steps
 */

/** @typedef {DeployRound | { type: 'failed', reason: string }} DeployOutcome */

/**
 * @param {import('./platform.js').RunningPlatform} platform
 * @param {number} round 1-based, only to make every revision's VERSION unique
 * @param {number} count lanes deployed at once
 * @param {string} marker for the peer's processes' command lines (the project folder)
 * @returns {Promise<DeployOutcome>}
 */
export async function measureDeployRound(platform, round, count, marker) {
  const lanes = Array.from({ length: count }, (_, i) => `lane-${i + 1}`);
  /** @param {string} tag @returns {(lane: string) => Promise<unknown>} */
  const deploy = (tag) => (lane) => deployOne(platform.session, lane, `r${round}-${tag}-${lane}`);
  try {
    const bareSpawnMs = { one: await bareSpawn(1, marker), many: await bareSpawn(count, marker) };
    const one = await timed(platform, ['one'], deploy('one'), 'together');
    await deleteAll(platform.session);
    const parallel = await timed(platform, lanes, deploy('par'), 'together');
    await checkRouting(platform.url, lanes, `r${round}-par-`);
    const sequentialUpdate = await timed(platform, lanes, deploy('upd'), 'one-by-one');
    await checkRouting(platform.url, lanes, `r${round}-upd-`);
    const deleteStarted = performance.now();
    await deleteAll(platform.session);
    const deleteParallelMs = performance.now() - deleteStarted;
    const sequentialNew = await timed(platform, lanes, deploy('seq'), 'one-by-one');
    return { type: 'measured', bareSpawnMs, one, parallel, sequentialUpdate, sequentialNew, deleteParallelMs };
  } catch (error) {
    return { type: 'failed', reason: errorText(error) };
  } finally {
    await deleteAll(platform.session).catch(() => {});
  }
}

/**
 * @param {import('@lanes/core').ProjectSession} session
 * @param {string} lane
 * @param {string} version
 */
async function deployOne(session, lane, version) {
  const service = /** @type {import('@lanes/core').ServiceModel} */ (session.project.services[SERVICES.deploy]);
  const spec = composeRevision(service, undefined, { env: { VERSION: version } });
  const result = await deployLane(session, { env: session.project.env, service: SERVICES.deploy, lane }, { spec });
  if (result.type !== 'deployed') throw new Error(`deploy of ${lane} ended '${result.type}': ${result.message}`);
  return result;
}

/**
 * @param {import('./platform.js').RunningPlatform} platform
 * @param {string[]} lanes
 * @param {(lane: string) => Promise<unknown>} deploy
 * @param {'together' | 'one-by-one'} how
 * @returns {Promise<Step>}
 */
async function timed(platform, lanes, deploy, how) {
  const mark = platform.events.length;
  /** @type {Map<string, { calledAt: number, doneAt: number }>} */
  const calls = new Map();
  /** @param {string} lane */
  const call = async (lane) => {
    const calledAt = Date.now();
    await deploy(lane);
    calls.set(lane, { calledAt, doneAt: Date.now() });
  };
  const started = performance.now();
  if (how === 'together') await Promise.all(lanes.map(call));
  else for (const lane of lanes) await call(lane);
  const wallMs = performance.now() - started;
  const events = platform.events.slice(mark);
  const env = platform.session.project.env;
  return {
    wallMs,
    lanes: lanes.map((lane) => {
      const key = `${env}/${SERVICES.deploy}/${lane}`;
      const times = (/** @type {string} */ code) =>
        events.filter((event) => event.lane === key && event.code === code).map((event) => event.time);
      const { calledAt, doneAt } = /** @type {{ calledAt: number, doneAt: number }} */ (calls.get(lane));
      const spawned = first(times('REPLICA_STARTING'));
      const healthy = last(times('REPLICA_HEALTHY'));
      const shifted = last(times('TRAFFIC_SHIFTED'));
      return {
        lane,
        totalMs: doneAt - calledAt,
        toSpawnMs: spawned - calledAt,
        spawnToHealthyMs: healthy - spawned,
        healthyToShiftedMs: shifted - healthy,
        shiftedToDoneMs: doneAt - shifted,
      };
    }),
  };
}

/** @param {number[]} list */
const first = (list) => (list.length > 0 ? Math.min(...list) : Number.NaN);
/** @param {number[]} list */
const last = (list) => (list.length > 0 ? Math.max(...list) : Number.NaN);

/**
 * Deletes every lane of the deploy service but default, at once.
 * @param {import('@lanes/core').ProjectSession} session
 */
async function deleteAll(session) {
  const lanes = session.store
    .listLanes({ env: session.project.env })
    .filter((lane) => lane.service === SERVICES.deploy && lane.lane !== 'default');
  const results = await Promise.all(
    lanes.map((lane) => deleteLane(session, { env: lane.env, service: lane.service, lane: lane.lane })),
  );
  const failed = results.filter((result) => result.type !== 'deleted');
  if (failed.length > 0) throw new Error(`delete failed: ${failed.map((r) => r.lane).join(', ')}`);
}

/**
 * Proves the deploys did what they returned: each lane's tag reaches that lane at the revision just deployed.
 * @param {string} url the gateway
 * @param {string[]} lanes
 * @param {string} versionPrefix
 */
async function checkRouting(url, lanes, versionPrefix) {
  for (const lane of lanes) {
    const response = await request(`${url}/deploy/check`, {
      headers: { tracestate: `ctx=lane:${lane}` },
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    const body = /** @type {{ lane?: string, version?: string }} */ (await response.body.json());
    if (response.statusCode !== 200 || body.lane !== lane || body.version !== `${versionPrefix}${lane}`) {
      throw new Error(`after the deploy, ${lane}'s tag got ${response.statusCode} ${JSON.stringify(body)}`);
    }
  }
}
