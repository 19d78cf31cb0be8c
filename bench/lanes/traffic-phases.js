// What each answer may be, by the phase its request was sent in, during deploy gray -> promote gray -> rollback
// default. The rules are the platform's promises (docs/cli.md): untagged requests reach default; a tag reaches its
// lane, or default when the lane does not exist (before gray is deployed, after the promote deleted it).
// An answer from a lane the phase does not allow is MISROUTED; from an allowed lane at a version that lane cannot
// serve in that phase (e.g. the old default after the promote returned) it is STALE.

/** @typedef {Array<[lane: string, versions: string[]]>} Allowed */
/** @typedef {{ name: string, untagged: Allowed, tagged: Allowed }} Phase */

/**
 * @param {string} before default's version before the promote (and again after the rollback)
 * @param {string} gray the version gray is deployed at
 * @returns {Phase[]} in the order they happen; the index is the phase number
 */
export function trafficPhases(before, gray) {
  /** @type {[string, string[]]} */
  const defaultBefore = ['default', [before]];
  /** @type {[string, string[]]} */
  const defaultEither = ['default', [before, gray]];
  /** @type {[string, string[]]} */
  const defaultGray = ['default', [gray]];
  /** @type {[string, string[]]} */
  const grayLane = ['gray', [gray]];
  return [
    { name: 'baseline (no gray lane)', untagged: [defaultBefore], tagged: [defaultBefore] },
    { name: 'deploying gray', untagged: [defaultBefore], tagged: [defaultBefore, grayLane] },
    { name: 'gray serving', untagged: [defaultBefore], tagged: [grayLane] },
    { name: 'promoting gray', untagged: [defaultEither], tagged: [grayLane, defaultEither] },
    { name: 'promoted', untagged: [defaultGray], tagged: [defaultGray] },
    { name: 'rolling back default', untagged: [defaultEither], tagged: [defaultEither] },
    { name: 'rolled back', untagged: [defaultBefore], tagged: [defaultBefore] },
  ];
}

/** Counters per phase, in one flat array: COUNTERS.length slots per phase. */
export const COUNTERS = /** @type {const} */ (['requests', 'failed', 'misrouted', 'stale', 'tagged', 'taggedToGray']);
const [REQUESTS, FAILED, MISROUTED, STALE, TAGGED, TAGGED_TO_GRAY] = [0, 1, 2, 3, 4, 5];

/**
 * @param {Phase[]} phases
 * @param {(line: string) => void} note receives the first few failures and misroutes, for the report
 */
export function createTally(phases, note) {
  const counts = new Int32Array(phases.length * COUNTERS.length);
  /** @param {number} phase @param {number} counter */
  const bump = (phase, counter) => {
    counts[phase * COUNTERS.length + counter] = (counts[phase * COUNTERS.length + counter] ?? 0) + 1;
  };
  return {
    counts,
    /** @param {number} phase @param {boolean} tagged @param {{ lane?: string, version?: string }} body */
    answer(phase, tagged, body) {
      bump(phase, REQUESTS);
      if (tagged) bump(phase, TAGGED);
      if (tagged && body.lane === 'gray') bump(phase, TAGGED_TO_GRAY);
      const rule = /** @type {Phase} */ (phases[phase]);
      const allowed = (tagged ? rule.tagged : rule.untagged).find(([lane]) => lane === body.lane);
      const what = `${tagged ? 'tagged' : 'untagged'} request in '${rule.name}' answered by ${body.lane}@${body.version}`;
      if (!allowed) {
        bump(phase, MISROUTED);
        note(`misrouted: ${what}`);
      } else if (!allowed[1].includes(String(body.version))) {
        bump(phase, STALE);
        note(`stale: ${what}`);
      }
    },
    /** @param {number} phase @param {boolean} tagged @param {string} reason */
    failure(phase, tagged, reason) {
      bump(phase, REQUESTS);
      bump(phase, FAILED);
      if (tagged) bump(phase, TAGGED);
      note(`failed: ${tagged ? 'tagged' : 'untagged'} request in '${phases[phase]?.name}': ${reason}`);
    },
    /**
     * @param {number} phase
     * @returns {Record<(typeof COUNTERS)[number], number>}
     */
    of(phase) {
      const slice = counts.subarray(phase * COUNTERS.length, (phase + 1) * COUNTERS.length);
      return /** @type {any} */ (Object.fromEntries(COUNTERS.map((name, i) => [name, slice[i] ?? 0])));
    },
  };
}
