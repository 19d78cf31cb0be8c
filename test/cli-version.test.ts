import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runAoiTraceInProcess, runLanesInProcess } from './support/cli.js';

const versionOf = (dir: string): string =>
  (JSON.parse(readFileSync(new URL(`../packages/${dir}/package.json`, import.meta.url), 'utf8')) as { version: string })
    .version;

describe('--version', () => {
  it('aoi-trace prints its package version and exits 0', async () => {
    const run = await runAoiTraceInProcess(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${versionOf('aoi-trace-cli')}\n`, stderr: '' });
  });

  it('lanes prints its package version and exits 0', async () => {
    const run = await runLanesInProcess(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${versionOf('lanes-cli')}\n`, stderr: '' });
  });
});
