// Every aoi-trace error line carries one prefix, the CLI kit's `aoi-trace <command>: `: the library's messages say
// what is wrong, not which command they belong to (they once read "aoi-trace replay: replay: ...").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AOI_TRACE_CLI } from '@lanes/aoi-trace-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAoiTraceInProcess } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-error-prefix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trace = join(dir, 'small.aoitrace');
const out = join(dir, 'out.aoitrace');

beforeAll(async () => {
  const args = ['--scenario', 'random-walk', '--entities', '20', '--ticks', '10', '--seed', '3', '--out', trace];
  const run = await runAoiTraceInProcess(['simulate', ...args]);
  expect(run.code, run.stderr).toBe(0);
});

/** A bad input per command whose message comes from the library (or the kit), with the exact line it must give. */
const CASES: { args: () => string[]; line: string }[] = [
  {
    args: () => ['replay', trace, '--out', out, '--view-radius', '-5'],
    line: 'aoi-trace replay: viewRadius must be a finite number >= 0 (got -5).',
  },
  {
    args: () => ['replay', trace, '--out', out, '--leave-radius', '70', '--hysteresis', '0.1'],
    line: 'aoi-trace replay: hysteresis and leaveRadius are two ways to set the leave radius: give one.',
  },
  {
    // The kit's check of a choice option (the library checks the same for a program calling it).
    args: () => ['replay', trace, '--out', out, '--algorithm', 'quadtree'],
    line: 'aoi-trace replay: --algorithm must be one of grid, brute-force, got "quadtree"',
  },
  {
    args: () => ['replay', trace, '--sweep', 'view-radius=40,x'],
    line: 'aoi-trace replay: --sweep view-radius: "x" is not a number.',
  },
  {
    args: () => ['simulate', '--scenario', 'random-walk', '--entities', '-3', '--out', out],
    line: 'aoi-trace simulate: entities must be an integer in [1, 1000000] (got -3).',
  },
  {
    args: () => ['detect', trace, '--window', '0'],
    line: 'aoi-trace detect: window must be an integer >= 1 (got 0).',
  },
];

describe('aoi-trace errors: one prefix', () => {
  for (const { args, line } of CASES) {
    it(line, async () => {
      expect(await runAoiTraceInProcess(args())).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    });
  }

  it('never repeats a command name (or a prefix of its own) after the kit prefix', async () => {
    const names = AOI_TRACE_CLI.commands.map((c) => c.name);
    const again = new RegExp(`^aoi-trace (${names.join('|')}): (${[...names, 'sweep'].join('|')}):`);
    const runs = await Promise.all(
      [...CASES.map((c) => c.args()), ['replay', trace, '--sweep', 'radius=1'], ['replay', trace]].map((args) =>
        runAoiTraceInProcess(args),
      ),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^aoi-trace [a-z-]+: \S/);
      expect(run.stderr).not.toMatch(again);
    }
  });
});
