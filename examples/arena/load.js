// Simulated players for the arena: `runLoad(options)` for tests and scripts, and a CLI when run directly. Each
// player also reads /arena/status once a second, as a lobby screen would: that HTTP traffic is what the gateway's
// canary analysis counts.
//   node examples/arena/load.js --url http://127.0.0.1:8081 --players 40 --seconds 20 --gray 0.5
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 as seededRandom } from '@lanes/aoi-trace';
import { SimPlayer } from './sim-player.js';

export const LOAD_LIMITS = { maxPlayers: 500, maxSeconds: 600 };

function bounded(name, value, min, max) {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** What is counted per player and summed per group, in the order the CLI prints it. */
const COUNTS = /** @type {const} */ ([
  'players',
  'connectionsOpened',
  'migrations',
  'abnormalCloses',
  'playersWithoutConnection',
  'messages',
  'statusRequests',
  'statusErrors',
]);

/** @returns {Record<(typeof COUNTS)[number], number>} */
function emptyGroup() {
  return /** @type {Record<(typeof COUNTS)[number], number>} */ (Object.fromEntries(COUNTS.map((name) => [name, 0])));
}

/**
 * Runs `players` simulated players against the gateway at `url` for `seconds`; a `fraction` of them tag their
 * connection for `lane` (tracestate ctx=lane:<lane>), the rest are untagged. Resolves with what happened, in total
 * and per group ("<lane>" for the tagged players, "untagged" for the others).
 */
export async function runLoad(options) {
  const players = bounded('players', options.players ?? 40, 1, LOAD_LIMITS.maxPlayers);
  const seconds = bounded('seconds', options.seconds ?? 20, 0.1, LOAD_LIMITS.maxSeconds);
  const fraction = bounded('fraction', options.fraction ?? 0.5, 0, 1);
  const lane = options.lane ?? 'gray';
  const mapSize = options.mapSize ?? 400;
  const random = seededRandom(options.seed ?? 7);
  const base = options.url.replace(/\/$/, '');
  const playUrl = `${base.replace(/^http/, 'ws')}${options.path ?? '/arena/play'}`;
  const statusUrl = `${base}${options.statusPath ?? '/arena/status'}`;
  const pollMs = bounded('pollMs', options.pollMs ?? 1000, 0, 60_000);
  const tagged = Math.round(players * fraction);
  const sims = Array.from(
    { length: players },
    (_, i) =>
      new SimPlayer({
        playUrl,
        statusUrl,
        pollMs,
        name: `${i < tagged ? lane : 'p'}-${i}`,
        lane: i < tagged ? lane : undefined,
        random,
        step: options.step ?? 3,
        mapSize,
      }),
  );
  for (const sim of sims) sim.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await Promise.all(sims.map((sim) => sim.stop()));
  return summarize(sims, { seconds, lane });
}

function summarize(sims, { seconds, lane }) {
  const total = emptyGroup();
  const groups = { [lane]: emptyGroup(), untagged: emptyGroup() };
  const servedBy = {};
  const problems = [];
  for (const sim of sims) {
    for (const group of [total, groups[sim.lane ? lane : 'untagged']]) {
      group.players += 1;
      group.connectionsOpened += sim.stats.connectionsOpened;
      group.migrations += sim.stats.migrations;
      group.abnormalCloses += sim.stats.abnormalCloses;
      group.playersWithoutConnection += sim.stats.withoutConnection ? 1 : 0;
      group.messages += sim.stats.messages;
      group.statusRequests += sim.stats.statusRequests;
      group.statusErrors += sim.stats.statusErrors;
    }
    for (const [key, count] of sim.servedBy) servedBy[key] = (servedBy[key] ?? 0) + count;
    problems.push(...sim.problems);
  }
  // The players counted in `total` come first, as they always did.
  const { players, ...counts } = total;
  return { players, seconds, ...counts, groups, servedBy, problems: problems.slice(0, 20) };
}

function printSummary(result) {
  const rows = [['group', ...COUNTS]];
  for (const [name, group] of Object.entries(result.groups)) rows.push([name, ...COUNTS.map((c) => String(group[c]))]);
  rows.push(['total', ...COUNTS.map((c) => String(result[c]))]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  console.log(`served by (welcomes per lane@revision): ${JSON.stringify(result.servedBy)}`);
  for (const problem of result.problems) console.log(`problem: ${problem}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8081' },
      players: { type: 'string', default: '40' },
      seconds: { type: 'string', default: '20' },
      gray: { type: 'string', default: '0.5' },
      lane: { type: 'string', default: 'gray' },
      'poll-ms': { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: node examples/arena/load.js [--url <gateway>] [--players 40] [--seconds 20] [--gray 0.5] [--lane gray] [--poll-ms 1000] [--json]',
    );
    return 0;
  }
  const result = await runLoad({
    url: values.url,
    players: Number(values.players),
    seconds: Number(values.seconds),
    fraction: Number(values.gray),
    lane: values.lane,
    pollMs: Number(values['poll-ms']),
  });
  if (values.json) console.log(JSON.stringify(result));
  else printSummary(result);
  const clean = result.abnormalCloses === 0 && result.playersWithoutConnection === 0 && result.statusErrors === 0;
  return clean ? 0 : 3;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`load: ${error.message}`);
      process.exitCode = 2;
    },
  );
}
