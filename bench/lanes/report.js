import { writeResults as writeCommonResults } from '../common/results.js';
import { median, seconds, times } from './stats.js';

/** @typedef {import('./deploy-parallelism.js').DeployOutcome} DeployOutcome */
/** @typedef {import('./deploy-parallelism.js').DeployRound} DeployRound */
/** @typedef {import('./promote-under-load.js').LoadRound} LoadRound */

/**
 * @param {DeployOutcome[]} outcomes
 * @returns {DeployRound[]}
 */
const measured = (outcomes) => outcomes.flatMap((o) => (o.type === 'measured' ? [o] : []));

/**
 * The deploy ratios of every measured round and their medians.
 * @param {DeployOutcome[]} outcomes
 */
export function deployRatios(outcomes) {
  const rounds = measured(outcomes);
  const perRound = rounds.map((r) => ({
    parallelVsOne: r.parallel.wallMs / r.one.wallMs,
    parallelVsSequentialNew: r.parallel.wallMs / r.sequentialNew.wallMs,
    parallelVsSequentialUpdate: r.parallel.wallMs / r.sequentialUpdate.wallMs,
    bareManyVsOne: r.bareSpawnMs.many / r.bareSpawnMs.one,
  }));
  /** @param {keyof (typeof perRound)[number]} key */
  const med = (key) => median(perRound.map((r) => r[key]));
  return {
    perRound,
    median: {
      parallelVsOne: med('parallelVsOne'),
      parallelVsSequentialNew: med('parallelVsSequentialNew'),
      parallelVsSequentialUpdate: med('parallelVsSequentialUpdate'),
      bareManyVsOne: med('bareManyVsOne'),
    },
  };
}

/**
 * @param {DeployOutcome[]} outcomes
 * @param {number} lanes
 */
export function deployTable(outcomes, lanes) {
  const rounds = measured(outcomes);
  /** @typedef {(r: DeployRound) => number} Pick */
  /** Median of the per-round ratios. @param {Pick} pick @param {Pick | null} base */
  const ratio = (pick, base) => (base ? times(median(rounds.map((r) => pick(r) / base(r)))) : '–');
  /**
   * label, the value, what "vs 1" divides by, what "vs N at once" divides by, what "vs the peer" divides by
   * @type {Array<[string, Pick, Pick | null, Pick | null, Pick | null]>}
   */
  const rows = [
    ['peer: 1 fixture process, no platform', (r) => r.bareSpawnMs.one, (r) => r.bareSpawnMs.one, null, null],
    [
      `peer: ${lanes} fixture processes at once, no platform`,
      (r) => r.bareSpawnMs.many,
      (r) => r.bareSpawnMs.one,
      null,
      null,
    ],
    ['1 new lane', (r) => r.one.wallMs, (r) => r.one.wallMs, (r) => r.parallel.wallMs, (r) => r.bareSpawnMs.one],
    [
      `${lanes} new lanes at once (Promise.all)`,
      (r) => r.parallel.wallMs,
      (r) => r.one.wallMs,
      (r) => r.parallel.wallMs,
      (r) => r.bareSpawnMs.many,
    ],
    [
      `${lanes} new lanes one after another`,
      (r) => r.sequentialNew.wallMs,
      (r) => r.one.wallMs,
      (r) => r.parallel.wallMs,
      null,
    ],
    [
      `the same ${lanes} lanes redeployed one after another (new revision: rolling replace)`,
      (r) => r.sequentialUpdate.wallMs,
      (r) => r.one.wallMs,
      (r) => r.parallel.wallMs,
      null,
    ],
    [`delete the ${lanes} lanes at once`, (r) => r.deleteParallelMs, null, null, null],
  ];
  const lines = [
    `| Step | Wall time (median) | Each round (s) | vs 1 (same kind) | vs ${lanes} new lanes at once | vs the peer (same count) |`,
    '| --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const [label, pick, one, parallel, peer] of rows) {
    const walls = rounds.map(pick);
    const cells = [
      label,
      seconds(median(walls)),
      walls.map((w) => (w / 1000).toFixed(2)).join(' / '),
      ratio(pick, one),
      ratio(pick, parallel),
      ratio(pick, peer),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.type === 'failed') lines.push(`\nRound ${i + 1} FAILED: ${outcome.reason}`);
  }
  return lines.join('\n');
}

/**
 * Where one deploy's time goes, median over every lane of every round, from the platform's own events.
 * @param {DeployOutcome[]} outcomes
 * @param {number} lanes
 */
export function breakdownTable(outcomes, lanes) {
  const rounds = measured(outcomes);
  /** @type {Array<[string, (r: DeployRound) => import('./deploy-parallelism.js').Step]>} */
  const steps = [
    ['1 new lane', (r) => r.one],
    [`${lanes} new lanes at once`, (r) => r.parallel],
    [`${lanes} new lanes one after another`, (r) => r.sequentialNew],
    [`${lanes} lanes redeployed one after another`, (r) => r.sequentialUpdate],
  ];
  const lines = [
    '| Step | One deploy | call → replica spawned | spawned → healthy | healthy → traffic shifted | shifted → done |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, pick] of steps) {
    const timings = rounds.flatMap((r) => pick(r).lanes);
    /** @param {Exclude<keyof import('./deploy-parallelism.js').LaneTiming, 'lane'>} key */
    const ms = (key) => `${Math.round(median(timings.map((t) => t[key])))} ms`;
    const cells = [
      ms('totalMs'),
      ms('toSpawnMs'),
      ms('spawnToHealthyMs'),
      ms('healthyToShiftedMs'),
      ms('shiftedToDoneMs'),
    ];
    lines.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** @param {LoadRound[]} rounds */
export function loadTable(rounds) {
  const lines = [
    '| Round | Requests | req/s | Before the operations | During them | During/before | Failed | Misrouted | Stale | p50 | p99 | max | Deploy gray | Promote | Rollback |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [i, r] of rounds.entries()) {
    const cells = [
      `${i + 1}${r.type === 'failed' ? ' (FAILED)' : ''}`,
      r.totals.requests.toLocaleString('en-US'),
      Math.round(r.reqPerSec).toLocaleString('en-US'),
      Math.round(r.baselineReqPerSec).toLocaleString('en-US'),
      Math.round(r.operationsReqPerSec).toLocaleString('en-US'),
      times(r.operationsReqPerSec / r.baselineReqPerSec),
      r.totals.failed,
      r.totals.misrouted,
      r.totals.stale,
      `${r.latencyMs.p50.toFixed(1)} ms`,
      `${r.latencyMs.p99.toFixed(1)} ms`,
      `${r.latencyMs.max.toFixed(0)} ms`,
      seconds(r.operationMs.deployGray),
      seconds(r.operationMs.promote),
      seconds(r.operationMs.rollback),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Every round's phases added up: where the requests went and where anything went wrong.
 * @param {LoadRound[]} rounds
 */
export function phaseTable(rounds) {
  const lines = [
    '| Phase (all rounds added up) | Time | Requests | req/s | Failed | Misrouted | Stale | Tagged answered by gray |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const names = rounds[0]?.phases.map((p) => p.name) ?? [];
  for (const [i, name] of names.entries()) {
    const list = rounds.flatMap((r) => (r.phases[i] ? [r.phases[i]] : []));
    /** @param {'durationMs' | 'requests' | 'failed' | 'misrouted' | 'stale' | 'tagged' | 'taggedToGray'} key */
    const sum = (key) => list.reduce((total, p) => total + p[key], 0);
    const share = sum('tagged') > 0 ? `${((100 * sum('taggedToGray')) / sum('tagged')).toFixed(0)}%` : '–';
    const rate = Math.round(sum('requests') / (sum('durationMs') / 1000)).toLocaleString('en-US');
    const cells = [
      name,
      seconds(sum('durationMs')),
      sum('requests').toLocaleString('en-US'),
      rate,
      sum('failed'),
      sum('misrouted'),
      sum('stale'),
    ];
    lines.push(`| ${cells.join(' | ')} | ${share} |`);
  }
  return lines.join('\n');
}

/**
 * @param {DeployOutcome[]} deployOutcomes
 * @param {LoadRound[]} loadRounds
 * @param {number} lanes
 * @returns {Array<{ goal: string, value: string, met: boolean }>}
 */
export function goals(deployOutcomes, loadRounds, lanes) {
  const { parallelVsOne: ratio, bareManyVsOne: floor } = deployRatios(deployOutcomes).median;
  const total = (/** @type {'failed' | 'misrouted'} */ key) => loadRounds.reduce((n, r) => n + r.totals[key], 0);
  const complete = loadRounds.length > 0 && loadRounds.every((r) => r.type === 'measured');
  return [
    {
      goal: `${lanes} new lanes at once ≤ 1.5x the time of 1 new lane (median of the per-round ratios)`,
      value: `${times(ratio)} (the peer without the platform: ${times(floor)})`,
      met: ratio <= 1.5,
    },
    {
      goal: `0 failed requests during deploy gray → promote gray → rollback default (${loadRounds.length} round(s))`,
      value: `${total('failed')} failed`,
      met: complete && total('failed') === 0,
    },
    {
      goal: '0 misrouted requests in the same runs',
      value: `${total('misrouted')} misrouted`,
      met: complete && total('misrouted') === 0,
    },
  ];
}

/** Raw results of this benchmark, see common/results.js. */
export const writeResults = (/** @type {string} */ dir, /** @type {Date} */ startedAt, /** @type {object} */ data) =>
  writeCommonResults(dir, 'lanes', startedAt, data);
