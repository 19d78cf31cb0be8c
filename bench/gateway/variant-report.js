// The gateway-variant comparison (gateway-variants.js): each variant's req/s and p99 against the baseline variant,
// measured in the same run on the same traced load.
import { VARIANT_MIN_RATIO } from './gateway-variants.js';

/**
 * Median over the rounds of the proxy's CPU time per request (not the median req/s round's: both move with the
 * neighbours, but not together).
 * @param {import('./report.js').Row} row
 * @returns {number | null}
 */
function medianCpu(row) {
  const values = row.rounds
    .flatMap((round) =>
      round.type === 'measured' && round.cpuMicrosPerRequest !== null ? [round.cpuMicrosPerRequest] : [],
    )
    .sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)] ?? null;
}

/** @param {import('./report.js').Row[]} rows */
function variantPairs(rows) {
  return rows.flatMap((row) => {
    const baseline = rows.find((other) => other.target.id === row.target.baseline);
    return baseline ? [{ row, baseline }] : [];
  });
}

/**
 * @param {import('./report.js').Row[]} rows
 * @returns {string} empty when no variant ran
 */
export function variantTable(rows) {
  const pairs = variantPairs(rows);
  if (pairs.length === 0) return '';
  const lines = [
    '| Variant (traced load) | req/s | p50 | p99 | req/s vs baseline | p99 vs baseline | CPU µs/request (median of rounds) | CPU vs baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { row, baseline } of pairs) {
    const r = row.median?.result;
    const b = baseline.median?.result;
    const cells = r
      ? [Math.round(r.requestsPerSecond).toLocaleString('en-US'), `${r.latencyMs.p50} ms`, `${r.latencyMs.p99} ms`]
      : [`${row.status.toUpperCase()}: ${row.reason ?? ''}`, '–', '–'];
    const rps = r && b ? `${(r.requestsPerSecond / b.requestsPerSecond).toFixed(3)}x` : '–';
    const p99 = r && b ? `${(r.latencyMs.p99 / b.latencyMs.p99).toFixed(2)}x` : '–';
    const cpu = medianCpu(row);
    const baseCpu = medianCpu(baseline);
    const cpuCell = typeof cpu === 'number' ? cpu.toFixed(1) : '–';
    const cpuRatio = typeof cpu === 'number' && typeof baseCpu === 'number' ? `${(cpu / baseCpu).toFixed(3)}x` : '–';
    lines.push(`| ${row.target.label} | ${cells.join(' | ')} | ${rps} | ${p99} | ${cpuCell} | ${cpuRatio} |`);
  }
  return lines.join('\n');
}

/**
 * Goal: a feature costs at most 5% req/s against the baseline variant.
 * @param {import('./report.js').Row[]} rows
 * @returns {string[]}
 */
export function variantGoalLines(rows) {
  return variantPairs(rows)
    .filter(({ row, baseline }) => row !== baseline)
    .map(({ row, baseline }) => {
      const r = row.median?.result;
      const b = baseline.median?.result;
      const goal = `req/s goal >= ${VARIANT_MIN_RATIO}x`;
      if (!r || !b) return `- ${row.target.id} vs ${baseline.target.id}: ${goal} — not measured`;
      const ratio = r.requestsPerSecond / b.requestsPerSecond;
      const cpu = medianCpu(row);
      const baseCpu = medianCpu(baseline);
      const cpuNote =
        typeof cpu === 'number' && typeof baseCpu === 'number'
          ? `; CPU per request ${(cpu / baseCpu).toFixed(3)}x`
          : '';
      return `- ${row.target.id} vs ${baseline.target.id}: ${ratio.toFixed(3)}x (${goal}) — ${ratio >= VARIANT_MIN_RATIO ? 'met' : 'NOT MET'}${cpuNote}`;
    });
}
