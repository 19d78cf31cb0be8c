// What the run was measured on, and how busy the machine was: on a shared host the numbers mean little without it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Linux CPU pressure (PSI): the share of time runnable tasks waited for a CPU over the last 10/60/300 s.
 * On a shared machine this says better than the load average whether other tenants squeezed the run.
 * @returns {string | null} e.g. "some avg10=15.77 avg60=26.89 avg300=23.47", null where PSI is unavailable
 */
export function cpuPressure() {
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    return some.replace(/\s*total=\d+/, '');
  } catch {
    return null;
  }
}

export function loadAverage() {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

/**
 * First line of `<command> -v` (nginx prints it on stderr), or null when the tool is missing.
 * @param {string} command
 */
export function toolVersion(command) {
  const probe = spawnSync(command, ['-v'], { encoding: 'utf8' });
  if (probe.error) return null;
  return `${probe.stdout}${probe.stderr}`.split('\n')[0]?.trim() ?? '';
}

/**
 * @param {{ wrk: string | null, nginx: string | null }} tools
 */
export function describeMachine(tools) {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: loadAverage(),
    cpuPressureAtStart: cpuPressure(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrk: tools.wrk,
    nginx: tools.nginx,
  };
}
