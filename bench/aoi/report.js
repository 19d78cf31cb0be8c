// Small helpers shared by the scale and C++-peer benches (bench/aoi/scale.js, native.js).

/** @param {number} v */
export const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** @param {number[]} values */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * The command line after the script, or null when help was asked for (then the usage is printed).
 * @param {string} usage
 */
export function argsOrHelp(usage) {
  const argv = process.argv.slice(2);
  if (!argv.includes('--help') && !argv.includes('-h')) return argv;
  console.log(usage);
  return null;
}
