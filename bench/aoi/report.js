// Small helpers shared by the scale and C++-peer benches (bench/aoi/scale.js, native.js).
import os from 'node:os';

/** @param {number} v */
export const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** @param {number[]} values */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** "2 CPUs (model), Node v20..., load average a b c": the load says how far to trust wall times. */
export function machineLine() {
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  return `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${load}`;
}

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
