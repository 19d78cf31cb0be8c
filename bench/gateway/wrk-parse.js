// Parses the text wrk 4.x prints with --latency. Pure, so the unit test (test/bench-wrk-parse.test.ts) can
// hold it to real wrk output; a misread unit here would silently skew every ratio in the report.

/** @typedef {{ p50: number, p75: number, p90: number, p99: number }} LatencyPercentiles */

/**
 * @typedef {object} WrkResult
 * @property {number} requests completed requests
 * @property {number} durationSeconds
 * @property {number} requestsPerSecond
 * @property {LatencyPercentiles} latencyMs from the "Latency Distribution" block (needs --latency)
 * @property {{ avg: number, stdev: number, max: number }} latencySummaryMs from the "Thread Stats" block
 * @property {{ connect: number, read: number, write: number, timeout: number }} socketErrors all 0 if wrk printed none
 * @property {number} non2xx3xx responses with another status; 0 if wrk printed none
 */

const TIME_UNITS_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A wrk duration such as `812.00us`, `1.23ms`, `2.00s`, `1.50m`, in milliseconds.
 * @param {string} text
 * @returns {number}
 */
export function parseWrkTime(text) {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`Not a wrk time: '${text}' (expected a number followed by us, ms, s, m or h).`);
  return Number(match[1]) * TIME_UNITS_MS[/** @type {keyof typeof TIME_UNITS_MS} */ (match[2])];
}

/**
 * @param {string} output everything wrk wrote to stdout
 * @returns {WrkResult}
 */
export function parseWrkOutput(output) {
  const totals = /^\s*(\d+) requests in (\S+?),/m.exec(output);
  if (!totals) throw new Error(`wrk output has no '<n> requests in <time>,' line:\n${output}`);
  const rate = /^Requests\/sec:\s+(\d+(?:\.\d+)?)\s*$/m.exec(output);
  if (!rate) throw new Error(`wrk output has no 'Requests/sec:' line:\n${output}`);
  const summary = /^[ \t]*Latency[ \t]+(\d\S*)[ \t]+(\d\S*)[ \t]+(\d\S*)[ \t]/m.exec(output);
  if (!summary) throw new Error(`wrk output has no 'Latency' line under 'Thread Stats':\n${output}`);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requests: Number(totals[1]),
    durationSeconds: parseWrkTime(/** @type {string} */ (totals[2])) / 1000,
    requestsPerSecond: Number(rate[1]),
    latencyMs: {
      p50: percentile(output, 50),
      p75: percentile(output, 75),
      p90: percentile(output, 90),
      p99: percentile(output, 99),
    },
    latencySummaryMs: {
      avg: parseWrkTime(/** @type {string} */ (summary[1])),
      stdev: parseWrkTime(/** @type {string} */ (summary[2])),
      max: parseWrkTime(/** @type {string} */ (summary[3])),
    },
    socketErrors: {
      connect: Number(errors?.[1] ?? 0),
      read: Number(errors?.[2] ?? 0),
      write: Number(errors?.[3] ?? 0),
      timeout: Number(errors?.[4] ?? 0),
    },
    non2xx3xx: Number(non2xx?.[1] ?? 0),
  };
}

/**
 * @param {string} output
 * @param {number} pct
 */
function percentile(output, pct) {
  const block = output.split(/^\s*Latency Distribution\s*$/m)[1];
  if (block === undefined) throw new Error("wrk output has no 'Latency Distribution' block; run wrk with --latency.");
  const line = new RegExp(`^\\s*${pct}%\\s+(\\S+)\\s*$`, 'm').exec(block);
  if (!line) throw new Error(`wrk output has no ${pct}% line under 'Latency Distribution'.`);
  return parseWrkTime(/** @type {string} */ (line[1]));
}
