import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a run's raw results as `<dir>/<name>-<timestamp>.json` (the timestamp without milliseconds, `:` as `-`
 * so it is a valid file name everywhere).
 * @param {string} dir
 * @param {string} name the benchmark's name, e.g. `gateway`
 * @param {Date} startedAt
 * @param {object} data everything worth keeping about the run
 * @returns {Promise<string>} the file written
 */
export async function writeResults(dir, name, startedAt, data) {
  await mkdir(dir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const file = path.join(dir, `${name}-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
