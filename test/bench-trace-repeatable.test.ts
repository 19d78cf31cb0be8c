// bench/aoi-trace/write-trace.js promises that the same options give the same bytes: the detect and seek rows of
// docs/benchmarks.md are measured on its files, and a rerun must measure the same file. Two real runs of the
// command, compared byte for byte.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliProcess, runNodeScript } from './support/cli.js';

const WRITE_TRACE = fileURLToPath(new URL('../bench/aoi-trace/write-trace.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bench-trace-repeatable-'));
const running: CliProcess[] = [];
afterAll(() => {
  for (const run of running) run.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function writeTrace(cycle: string, name: string): Promise<Buffer> {
  const out = join(dir, name);
  const run = runNodeScript(WRITE_TRACE, ['--gb', '0.002', '--cycle', cycle, '--out', out]);
  running.push(run);
  expect(await run.exit(), run.stderr()).toBe(0);
  return readFileSync(out);
}

describe('bench/aoi-trace/write-trace.js', () => {
  for (const cycle of ['round-trip', 'forward']) {
    it(`writes the same bytes twice with --cycle ${cycle}`, async () => {
      const first = await writeTrace(cycle, `${cycle}-1.aoitrace`);
      const second = await writeTrace(cycle, `${cycle}-2.aoitrace`);
      expect(first.length).toBeGreaterThan(1_000_000);
      expect(second.length).toBe(first.length);
      expect(second.equals(first)).toBe(true);
      // Two runs of a 10,000-entity recording: tens of seconds on a loaded machine; a limit for a hang, not a bound.
    }, 300_000);
  }
});
