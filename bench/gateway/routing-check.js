// Before a target is measured: a few plain requests proving it routes like the rule says. A proxy that sends
// everything to one lane would be fast and wrong, so a wrong answer here fails the target instead of timing it.
import { get } from './net-util.js';

/** The header value the load generator sends on tagged requests (handed to alternate-lanes.lua too). */
export const TAGGED_TRACESTATE = 'dd=s:1,ctx=lane:gray';

/**
 * @typedef {{ type: 'ok', checked: string[] } | { type: 'wrong', reason: string }} RoutingOutcome
 */

/**
 * @param {string} url
 * @param {import('./targets.js').RoutingRule} rule what the target promises: 'none' (direct: default upstream
 *   only), 'substring' (the bare proxy), or 'exact-member' (nginx and the gateway: near misses stay default)
 * @returns {Promise<RoutingOutcome>}
 */
export async function checkRouting(url, rule) {
  /** @type {Array<{ name: string, headers: Record<string, string>, lane: string }>} */
  const cases = [
    { name: 'untagged -> default', headers: {}, lane: 'default' },
    { name: 'untagged again -> default', headers: {}, lane: 'default' },
  ];
  if (rule !== 'none') {
    cases.push(
      tracestate(TAGGED_TRACESTATE, 'gray'),
      tracestate('ctx=lane:gray', 'gray'),
      tracestate('dd=s:1', 'default'),
    );
  }
  if (rule === 'exact-member') {
    cases.push(
      tracestate('dd=s:1, ctx=lane:gray', 'gray'),
      tracestate('dd=s:1,ctx=lane:grayish', 'default'),
      tracestate('dd=s:1,xctx=lane:gray', 'default'),
    );
  }
  for (const check of cases) {
    let res;
    try {
      res = await get(url, check.headers);
    } catch (error) {
      return { type: 'wrong', reason: `${check.name}: ${error instanceof Error ? error.message : error}` };
    }
    const lane = res.headers['x-upstream-lane'];
    if (res.status !== 200 || lane !== check.lane) {
      return { type: 'wrong', reason: `${check.name}: got status ${res.status}, x-upstream-lane ${lane ?? '(none)'}` };
    }
  }
  return { type: 'ok', checked: cases.map((check) => check.name) };
}

/**
 * @param {string} value
 * @param {string} lane
 */
function tracestate(value, lane) {
  return { name: `tracestate "${value}" -> ${lane}`, headers: { tracestate: value }, lane };
}
