#!/usr/bin/env node
// Lanes platform benchmark: deploy parallelism (N new lanes at once vs 1, vs N one after another) and failed or
// misrouted requests under load during deploy → promote → rollback. What and why: docs/benchmarks.md ("Lanes").
// Needs the packages built (`npx tsc -b`, or `npm run bench:lanes`). Progress on stderr, markdown on stdout.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runMain } from '../common/run-main.js';
import { cpuPressure, loadAverage } from '../gateway/machine-info.js';
import { measureDeployRound } from './deploy-parallelism.js';
import { findLeftovers, killLeftovers } from './leftovers.js';
import { parseOptions, USAGE } from './options.js';
import { startPlatform } from './platform.js';
import { createProject } from './project.js';
import { measureLoadRound } from './promote-under-load.js';
import { breakdownTable, deployRatios, deployTable, goals, loadTable, phaseTable, writeResults } from './report.js';
import { seconds, times } from './stats.js';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

/** What cleanup must undo; set as soon as it exists. */
const live = {
  /** @type {string | null} the project folder, in every replica's command line; kept for the exit check */
  marker: null,
  /** @type {import('./project.js').BenchProject | null} */ project: null,
  /** @type {import('./platform.js').RunningPlatform | null} */ platform: null,
};

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(argv, process.env);
  // Replica ports: a window of our own, so a test run on the same machine (20000-32399) does not race us for every
  // port, and below Linux's ephemeral ports (32768-60999), where lanes up warns (PORT_RANGE_EPHEMERAL): a health
  // check against a port there where nothing listens yet can connect to itself.
  const windowStart = 10_000 + 1000 * Math.floor(Math.random() * 10);
  process.env.LANES_PORT_RANGE = options.portRange ?? `${windowStart}-${windowStart + 999}`;
  const startedAt = new Date();
  const machine = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: loadAverage(),
    cpuPressureAtStart: cpuPressure(),
  };
  log(`lanes bench: ${options.rounds} round(s); ${machine.cpus} CPUs, load ${loadAverage()}, CPU ${cpuPressure()}`);

  live.project = createProject({ replicas: options.replicas });
  live.marker = live.project.dir;
  const platform = await startPlatform(live.project.dir, log);
  live.platform = platform;
  log(`platform up on ${platform.url} in ${seconds(platform.startMs)} (replica ports ${process.env.LANES_PORT_RANGE})`);

  /** @type {import('./deploy-parallelism.js').DeployOutcome[]} */
  const deployRounds = [];
  for (let round = 1; round <= options.rounds; round++) {
    log(`[deploy round ${round}/${options.rounds}]`);
    const outcome = await measureDeployRound(platform, round, options.lanes, live.project.dir);
    deployRounds.push(outcome);
    if (outcome.type === 'failed') log(`  FAILED: ${outcome.reason}`);
    else {
      const { bareSpawnMs: bare, one, parallel, sequentialNew, sequentialUpdate } = outcome;
      log(
        `  1: ${seconds(one.wallMs)}, ${options.lanes} at once: ${seconds(parallel.wallMs)} (${times(parallel.wallMs / one.wallMs)}; peer ${times(bare.many / bare.one)}), one after another: new ${seconds(sequentialNew.wallMs)}, redeploy ${seconds(sequentialUpdate.wallMs)}`,
      );
    }
  }

  /** @type {import('./promote-under-load.js').LoadRound[]} */
  const loadRounds = [];
  for (let round = 1; round <= options.rounds; round++) {
    log(`[load round ${round}/${options.rounds}] ${options.clients} clients: deploy gray → promote → rollback`);
    const outcome = await measureLoadRound(platform, options, round, log);
    loadRounds.push(outcome);
    const { requests, failed, misrouted, stale } = outcome.totals;
    log(
      `  ${requests} requests, ${Math.round(outcome.reqPerSec)} req/s; ${failed} failed, ${misrouted} misrouted, ${stale} stale`,
    );
    // A failed round can leave gray or default's revision anywhere; the next round's rules would not hold.
    if (outcome.type === 'failed') break;
  }

  const platformEvents = platform.events.filter((event) => event.level === 'warn' || event.level === 'error');
  const cleanup = await cleanUp();
  const checks = goals(deployRounds, loadRounds, options.lanes);
  const file = await writeResults(resultsDir, startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadAverage(), cpuPressureAtEnd: cpuPressure() },
    options,
    replicaPorts: process.env.LANES_PORT_RANGE,
    platformStartMs: platform.startMs,
    deployRounds,
    deployRatios: deployRatios(deployRounds),
    loadRounds,
    goals: checks,
    platformWarnings: platformEvents,
    cleanup,
  });

  console.log(`### Deploy parallelism (${options.lanes} lanes, platform idle)\n`);
  console.log(deployTable(deployRounds, options.lanes));
  console.log('');
  console.log(breakdownTable(deployRounds, options.lanes));
  console.log(`\n### Deploy gray → promote gray → rollback default under load (${options.clients} clients)\n`);
  console.log(loadTable(loadRounds));
  console.log('');
  console.log(phaseTable(loadRounds));
  console.log('');
  const notes = loadRounds.flatMap((round, i) => round.notes.map((note) => `- round ${i + 1}: ${note}`));
  if (notes.length > 0) console.log(`First failures and misroutes:\n${notes.join('\n')}\n`);
  console.log(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}; at start load ${machine.loadAverageAtStart}, CPU pressure ${machine.cpuPressureAtStart}; at end load ${loadAverage()}, CPU pressure ${cpuPressure()}.`,
  );
  console.log(
    `Platform warnings/errors: ${platformEvents.length}. Cleanup: platform ${cleanup.platform}, ${cleanup.leftovers.length} leftover replica process(es)${cleanup.leftovers.length > 0 ? ` (killed: ${cleanup.leftovers.join(', ')})` : ''}. Raw results: ${file}`,
  );
  console.log('\nGoals:');
  for (const check of checks) console.log(`- ${check.goal}: ${check.value} — ${check.met ? 'met' : 'NOT MET'}`);
  const anyFailed = deployRounds.some((r) => r.type === 'failed') || loadRounds.some((r) => r.type === 'failed');
  return anyFailed || cleanup.leftovers.length > 0 ? 1 : 0;
}

/** @type {Promise<{ platform: string, leftovers: number[] }> | null} */
let cleaning = null;

/**
 * Stops the platform (which stops every replica), then looks for replicas of this run that survived and kills
 * them. The end of main, an error and SIGINT may all ask; the work is done once and they all wait for it.
 */
function cleanUp() {
  cleaning ??= (async () => {
    let platform = 'not started';
    if (live.platform) {
      log('stopping the platform');
      platform = await live.platform.stop();
      live.platform = null;
    }
    /** @type {number[]} */
    let leftovers = [];
    if (live.project) {
      leftovers = findLeftovers(live.project.dir);
      if (leftovers.length > 0) {
        log(`replica process(es) still running after the platform stopped: ${leftovers.join(', ')}; killing them`);
        killLeftovers(leftovers);
      }
      live.project.remove();
      live.project = null;
    }
    return { platform, leftovers };
  })();
  return cleaning;
}

let interruptions = 0;
/** @param {NodeJS.Signals} signal */
async function interrupted(signal) {
  interruptions++;
  if (interruptions > 1) process.exit(130); // the 'exit' handler still kills what is left
  log(`${signal}: stopping the platform and every replica (again to force)`);
  await cleanUp().catch((error) => log(`cleanup failed: ${error instanceof Error ? error.message : error}`));
  process.exit(130);
}
process.on('SIGINT', interrupted);
process.on('SIGTERM', interrupted);
// Last resort, synchronous: an operation still running when cleanup ran may have started one more replica.
process.once('exit', () => {
  if (live.marker) killLeftovers(findLeftovers(live.marker));
  live.project?.remove();
});
await runMain(
  main,
  () =>
    cleanUp().then(
      () => undefined,
      (error) => {
        log(`cleanup failed: ${error instanceof Error ? error.message : error}`);
      },
    ),
  log,
);
