// Runs wrk once against a URL with the alternating-lanes script. wrk stops itself after `-d`; the kill timer is
// only a backstop for a wedged wrk, so a load run can never outlive its budget by more than a few seconds.
import { fileURLToPath } from 'node:url';
import { captureTail, spawnTracked, stopChild } from './children.js';
import { TAGGED_TRACESTATE } from './routing-check.js';
import { parseWrkOutput } from './wrk-parse.js';

const script = fileURLToPath(new URL('./alternate-lanes.lua', import.meta.url));
const KILL_AFTER_EXTRA_MS = 15_000;

/**
 * @typedef {object} LoadShape
 * @property {number} threads wrk -t
 * @property {number} connections wrk -c
 * @property {string} timeout wrk --timeout: a response slower than this counts as a timeout error
 */

/**
 * The exact wrk argument list, also stored in the JSON results so a run can be reproduced by hand.
 * @param {LoadShape} shape
 * @param {number} seconds
 * @param {string} url
 * @param {boolean} [traced] add a traceparent with a fresh trace id to every request
 */
export function wrkArgs(shape, seconds, url, traced = false) {
  return [
    '-t',
    String(shape.threads),
    '-c',
    String(shape.connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    shape.timeout,
    '--latency',
    '-s',
    script,
    url,
    '--',
    TAGGED_TRACESTATE,
    ...(traced ? ['traced'] : []),
  ];
}

/**
 * @param {LoadShape} shape
 * @param {number} seconds
 * @param {string} url
 * @param {boolean} [traced]
 * @returns {Promise<{ args: string[], output: string, result: import('./wrk-parse.js').WrkResult }>}
 */
export async function runWrk(shape, seconds, url, traced = false) {
  const args = wrkArgs(shape, seconds, url, traced);
  const child = spawnTracked('wrk', args);
  const stdout = captureTail(child.stdout, 100_000);
  const stderr = captureTail(child.stderr);
  const killer = setTimeout(() => void stopChild(child), seconds * 1000 + KILL_AFTER_EXTRA_MS);
  /** @type {[number | null, NodeJS.Signals | null]} */
  const [code, signal] = await new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': only then has all of stdout been read.
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  }).finally(() => clearTimeout(killer));
  if (code !== 0) {
    throw new Error(`wrk ${args.join(' ')} exited with code ${code}, signal ${signal}: ${stderr()}${stdout()}`);
  }
  return { args, output: stdout(), result: parseWrkOutput(stdout()) };
}
