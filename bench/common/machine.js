// The line every benchmark prints under its tables: the machine a number was measured on, and how busy it was.
import os from 'node:os';

/** `Machine: <n> CPUs, Node <version>, load average <1 5 15 min>`. */
export function machineLine() {
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  return `Machine: ${os.cpus().length} CPUs, Node ${process.version}, load average ${load}`;
}
