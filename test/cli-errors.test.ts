import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAoiTraceInProcess } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errors of other packages reach the aoi-trace CLI by their brand', () => {
  it("renders the engine's AoiError (a user's out-of-range radius) as one line, exit 2, not an internal error", async () => {
    const run = await runAoiTraceInProcess([
      'simulate',
      '--scenario',
      'random-walk',
      '--out',
      join(dir, 'x.aoitrace'),
      '--view',
      '1e300',
      '--leave',
      '1e300',
      '--ticks',
      '2',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^aoi-trace simulate: add: entity 0 needs a view radius from 0 to 2\^500 .*\n$/);
    expect(run.stderr).not.toMatch(/internal error|\n {4}at /);
  });
});
