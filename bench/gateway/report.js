import { writeResults as writeCommonResults } from '../common/results.js';

/**
 * @typedef {object} Row
 * @property {import('./targets.js').Target} target
 * @property {'measured' | 'failed' | 'skipped'} status
 * @property {string} [reason] why it was not measured
 * @property {import('./measure.js').Measurement[]} rounds every round, in order
 * @property {import('./measure.js').MeasuredRun | null} median the round with the median req/s
 */

/**
 * @param {import('./targets.js').Target} target
 * @param {import('./measure.js').Measurement[]} rounds
 * @returns {Row}
 */
export function summarize(target, rounds) {
  const measured = rounds
    .filter((round) => round.type === 'measured')
    .sort((a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond);
  const median = measured[Math.floor((measured.length - 1) / 2)] ?? null;
  if (median) return { target, status: 'measured', rounds, median };
  const first = /** @type {{ type: 'failed' | 'skipped', reason: string }} */ (
    rounds.find((r) => r.type !== 'measured')
  );
  return { target, status: first.type, reason: first.reason, rounds, median: null };
}

/**
 * @param {Row[]} rows
 * @param {string} id
 */
function measuredRow(rows, id) {
  return rows.find((row) => row.target.id === id)?.median ?? null;
}

/**
 * @param {Row[]} rows
 * @param {Row} row
 */
function ratios(rows, row) {
  const rps = row.median?.result.requestsPerSecond;
  const p99 = row.median?.result.latencyMs.p99;
  const bare = measuredRow(rows, 'bare-1');
  const nginx = row.target.workers === null ? null : measuredRow(rows, `nginx-${row.target.workers}`);
  return {
    vsBare1: rps !== undefined && bare ? rps / bare.result.requestsPerSecond : null,
    vsNginx: rps !== undefined && nginx ? rps / nginx.result.requestsPerSecond : null,
    p99VsNginx: p99 !== undefined && nginx ? p99 / nginx.result.latencyMs.p99 : null,
  };
}

/** @param {number | null} ratio */
const times = (ratio) => (ratio === null ? '–' : `${ratio.toFixed(2)}x`);
/** @param {number} ms */
const millis = (ms) => `${ms.toFixed(2)} ms`;

/** @param {Row} row */
function notes(row) {
  if (row.status !== 'measured') return `${row.status.toUpperCase()}: ${row.reason}`;
  const median = /** @type {NonNullable<Row['median']>} */ (row.median);
  const out = [];
  const errors = Object.values(median.result.socketErrors).reduce((sum, n) => sum + n, 0);
  if (errors > 0) out.push(`socket errors ${JSON.stringify(median.result.socketErrors)}`);
  if (median.result.non2xx3xx > 0) out.push(`${median.result.non2xx3xx} non-2xx`);
  if (!median.split.ok) out.push(`UNEVEN LANE SPLIT default ${median.split.default} / gray ${median.split.gray}`);
  const all = row.rounds.flatMap((r) => (r.type === 'measured' ? [r.result.requestsPerSecond] : []));
  if (all.length > 1) out.push(`rounds ${all.map((n) => Math.round(n)).join(' / ')} req/s`);
  const cpu = row.rounds.flatMap((r) =>
    r.type === 'measured' && r.cpuMicrosPerRequest !== null ? [r.cpuMicrosPerRequest] : [],
  );
  if (cpu.length > 0) out.push(`CPU ${cpu.map((n) => n.toFixed(1)).join(' / ')} µs/req`);
  if (all.length < row.rounds.length) out.push(`${row.rounds.length - all.length} round(s) failed`);
  return out.join('; ');
}

/**
 * @param {Row[]} rows
 * @returns {string}
 */
export function markdownTable(rows) {
  const lines = [
    '| Target | req/s | p50 | p99 | vs bare proxy (1 proc) | vs nginx (same workers) | p99 vs nginx | Notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const r = ratios(rows, row);
    const result = row.median?.result;
    const cells = result
      ? [
          Math.round(result.requestsPerSecond).toLocaleString('en-US'),
          millis(result.latencyMs.p50),
          millis(result.latencyMs.p99),
        ]
      : ['–', '–', '–'];
    lines.push(
      `| ${row.target.label} | ${cells.join(' | ')} | ${times(r.vsBare1)} | ${times(r.vsNginx)} | ${times(r.p99VsNginx)} | ${notes(row).replaceAll('|', '\\|')} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The gateway's performance goals (docs/benchmarks.md), checked against this run.
 * @param {Row[]} rows
 * @returns {string[]}
 */
export function goalLines(rows) {
  /** @param {string} id @param {string} peerId @param {(row: NonNullable<Row['median']>, peer: NonNullable<Row['median']>) => number} measure @param {string} goal @param {(v: number) => boolean} met */
  const goal = (id, peerId, measure, goal, met) => {
    const row = measuredRow(rows, id);
    const peer = measuredRow(rows, peerId);
    if (!row || !peer) return `- ${id} vs ${peerId}: ${goal} — not measured`;
    const value = measure(row, peer);
    return `- ${id} vs ${peerId}: ${value.toFixed(2)}x (${goal}) — ${met(value) ? 'met' : 'NOT MET'}`;
  };
  /** @param {NonNullable<Row['median']>} a @param {NonNullable<Row['median']>} b */
  const rps = (a, b) => a.result.requestsPerSecond / b.result.requestsPerSecond;
  /** @param {NonNullable<Row['median']>} a @param {NonNullable<Row['median']>} b */
  const p99 = (a, b) => a.result.latencyMs.p99 / b.result.latencyMs.p99;
  return [
    goal('gateway-1', 'bare-1', rps, 'req/s goal >= 0.95x', (v) => v >= 0.95),
    goal('gateway-2', 'bare-2', rps, 'req/s goal >= 0.95x', (v) => v >= 0.95),
    goal('gateway-2', 'nginx-2', rps, 'req/s goal >= 0.6x', (v) => v >= 0.6),
    goal('gateway-1', 'nginx-1', p99, 'p99 goal <= 2x', (v) => v <= 2),
    goal('gateway-2', 'nginx-2', p99, 'p99 goal <= 2x', (v) => v <= 2),
  ];
}

/**
 * Each proxied run spreads its load over two upstream processes; if half of a proxy's req/s approaches what one
 * upstream sustained on its own (the direct run), the upstream, not the proxy, may be what was measured.
 * @param {Row[]} rows
 * @returns {string[]}
 */
export function bottleneckWarnings(rows) {
  const direct = measuredRow(rows, 'direct');
  if (!direct) return [];
  return rows.flatMap((row) => {
    if (!row.median || row.target.kind === 'direct') return [];
    const perUpstream = row.median.result.requestsPerSecond / 2;
    return perUpstream > 0.8 * direct.result.requestsPerSecond
      ? [`- ${row.target.id}: each upstream served ${Math.round(perUpstream)} req/s, near the direct run's ceiling`]
      : [];
  });
}

/** Raw results of this benchmark, see common/results.js. */
export const writeResults = (/** @type {string} */ dir, /** @type {Date} */ startedAt, /** @type {object} */ data) =>
  writeCommonResults(dir, 'gateway', startedAt, data);
