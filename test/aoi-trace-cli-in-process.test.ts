import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AOI_TRACE_CLI } from '@lanes/aoi-trace-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAoiTraceInProcess } from './support/cli.js';
import { describeCommandTable } from './support/cli-table.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-in-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The aoi-trace CLI through its injectable main(argv, io): output and exit codes, without a child process.
describeCommandTable(AOI_TRACE_CLI, runAoiTraceInProcess);

describe('aoi-trace, in process: argument errors', () => {
  it('says what is wrong with a bad option in one line, exit 2', async () => {
    expect(await runAoiTraceInProcess(['detect', 'x.aoitrace', '--windows', '3'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'aoi-trace detect: unknown option --windows\n',
    });
    expect(await runAoiTraceInProcess(['detect', 'x.aoitrace', '--window', 'wide'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'aoi-trace detect: --window must be a whole number, got "wide"\n',
    });
    expect(await runAoiTraceInProcess(['diff', 'a.aoitrace'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'aoi-trace diff: expects <a> <b>, got "a.aoitrace"\n',
    });
    expect(await runAoiTraceInProcess(['simulate', '--out', 'x.aoitrace'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'aoi-trace simulate: --scenario <name> is required\n',
    });
  });

  it('refuses record without a command to run, saying where it goes', async () => {
    const run = await runAoiTraceInProcess(['record', '--out', join(dir, 'never.aoitrace')]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('give the command to record after --: record --out <file> -- <command> [args...]');
  });

  it('refuses --bounds that are not four numbers with min <= max before it listens', async () => {
    for (const bounds of ['1,2,3', '1,2,3,4,5', '0,0,x,1', '5,0,1,1', '0,5,1,1']) {
      const run = await runAoiTraceInProcess(['serve', `--bounds=${bounds}`]);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toContain(`--bounds must be minX,minY,maxX,maxY with min <= max, got "${bounds}"`);
    }
  });
});

describe('aoi-trace, in process: --json shapes on a small simulated trace', () => {
  const trace = join(dir, 'small.aoitrace');
  beforeAll(async () => {
    const args = ['--scenario', 'random-walk', '--entities', '30', '--ticks', '40', '--seed', '3', '--out', trace];
    const run = await runAoiTraceInProcess(['simulate', ...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ out: trace, ticks: 40, options: { scenario: 'random-walk' } });
  });

  it('inspect --json: header, tick range, stats and a sound integrity', async () => {
    const run = await runAoiTraceInProcess(['inspect', trace, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report).sort()).toEqual(
      ['damage', 'file', 'firstTick', 'header', 'integrity', 'lastTick', 'sound', 'stats'].sort(),
    );
    expect(report).toMatchObject({ file: trace, sound: true, damage: [], stats: { ticks: 40 } });
  });

  it('detect --json: the report with a total that is the sum of the counts', async () => {
    const run = await runAoiTraceInProcess(['detect', trace, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ trace });
    const sum = Object.values(report.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(report.total).toBe(sum);
    expect(Array.isArray(report.findings)).toBe(true);
    expect(run.code).toBe(sum > 0 ? 3 : 0);
  });

  it("refuses a detector option out of range by the library's rule (exit 2, one line)", async () => {
    const run = await runAoiTraceInProcess(['detect', trace, '--window', '0']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'aoi-trace detect: window must be an integer >= 1 (got 0).\n',
    });
  });
});
