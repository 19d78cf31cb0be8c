// Small numeric helpers shared by the measurements and the report.

/**
 * The median; for an even count, the lower of the two middle values, so it is always a value that was measured.
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.floor((sorted.length - 1) / 2)]);
}

/**
 * Nearest-rank percentile of the first `count` values of a typed array (sorted in place).
 * @param {Float64Array} values
 * @param {number} count
 * @param {number} pct 0 to 100
 */
export function percentile(values, count, pct) {
  if (count === 0) return Number.NaN;
  const sorted = values.subarray(0, count).sort();
  const rank = Math.min(count - 1, Math.max(0, Math.ceil((pct / 100) * count) - 1));
  return /** @type {number} */ (sorted[rank]);
}

/** @param {number} ms */
export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** @param {number} ratio */
export const times = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '–');

/** @param {unknown} error */
export const errorText = (error) => (error instanceof Error ? error.message : String(error));
