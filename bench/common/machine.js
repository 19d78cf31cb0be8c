// The machine a number was measured on, and how busy it was: every benchmark prints it under its tables.
import os from 'node:os';

/** `2 CPUs (model), Node v20..., load average a b c`: the load says how far to trust wall times. */
export function machineSummary() {
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  return `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${load}`;
}

/** `Machine: <machineSummary()>`, the line under a benchmark's tables. */
export function machineLine() {
  return `Machine: ${machineSummary()}`;
}
