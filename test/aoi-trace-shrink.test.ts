// aoi-trace shrink as a user drives it: a buggy simulated run, shrunk to a repro file whose printed command shows
// the finding again, and the repro opened in the viewer like any trace. Real child processes on real files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runAoiTrace, runAoiTraceToEnd } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-shrink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const buggy = join(dir, 'race.aoitrace');
const repro = join(dir, 'repro.ndjson');

describe('aoi-trace shrink', () => {
  it('writes a small NDJSON repro and a command that shows the finding from it', async () => {
    const sim = await runAoiTraceToEnd([
      'simulate',
      ...['--scenario', 'random-walk', '--entities', '150', '--ticks', '40', '--inject', 'race=0.02'],
      ...['--out', buggy],
    ]);
    expect(sim.code, sim.stderr).toBe(0);

    const shrink = await runAoiTraceToEnd(['shrink', buggy, '--finding', 'adjacency', '--out', repro]);
    expect(shrink.code, shrink.stderr).toBe(0);
    expect(shrink.stdout).toMatch(
      /^adjacency \(never-(entered|left)\) in .*race\.aoitrace, tick \d+, entities \d+, \d+:/,
    );
    expect(shrink.stdout).toContain('Removing any one entity or tick more makes the finding disappear.');
    // No progress line when stderr is not a terminal.
    expect(shrink.stderr).toBe('');
    const command = /Reproduce: aoi-trace (.*)$/m.exec(shrink.stdout)?.[1];
    expect(command).toBe(`detect ${repro} --only adjacency`);

    const again = await runAoiTraceToEnd([...command!.split(' '), '--json']);
    expect(again.code, again.stderr).toBe(3);
    const report = JSON.parse(again.stdout) as { findings: { detector: string; entities: number[] }[] };
    const entities = /entities (\d+), (\d+):/.exec(shrink.stdout)!.slice(1).map(Number);
    expect(report.findings.some((f) => f.detector === 'adjacency' && f.entities.join() === entities.join())).toBe(true);
    // The file is the open format, one JSON object per line, a header first.
    const lines = readFileSync(repro, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!).type).toBe('header');
    expect(lines.length).toBeLessThanOrEqual(13);
  });

  it('--json gives the same as one object', async () => {
    const out = join(dir, 'repro-json.ndjson');
    const shrink = await runAoiTraceToEnd([
      'shrink',
      buggy,
      '--finding',
      'ground-truth:missing',
      '--out',
      out,
      '--json',
    ]);
    expect(shrink.code, shrink.stderr).toBe(0);
    const result = JSON.parse(shrink.stdout);
    expect(result).toMatchObject({ type: 'minimal', out, command: `aoi-trace detect ${out} --only ground-truth` });
    expect(result.after.entities).toBeLessThanOrEqual(6);
    expect(result.finding.detector).toBe('ground-truth');
    expect(result.summary).toContain('ground-truth (missing ');
  });

  it('opens the repro in the viewer like any trace, its finding on the timeline', async () => {
    const view = runAoiTrace(['view', repro, '--json']);
    try {
      const { url } = JSON.parse(await view.waitForLine((l) => l.startsWith('{'), 20_000)) as { url: string };
      await vi.waitFor(() => expect(view.stderr()).toContain('detectors done'), { timeout: 20_000, interval: 100 });
      const anomalies = (await (await fetch(`${url}api/anomalies?source=a`)).json()) as { detector: string }[];
      expect(anomalies.some((a) => a.detector === 'adjacency')).toBe(true);
    } finally {
      view.child.kill('SIGINT');
      expect(await view.exit()).toBe(0);
    }
  });

  it('says what is wrong with bad arguments (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['shrink', buggy, '--finding', 'flapping', '--out', repro], /--finding: "flapping" is neither/],
      [['shrink', buggy, '--finding', 'torn-view:sideways', '--out', repro], /not a variant of torn-view/],
      [['shrink', buggy, '--finding', 'adjacency', '--out', join(dir, 'x.txt')], /--out must name an .ndjson file/],
      [['shrink', buggy, '--out', repro], /--finding <id\|kind\[@tick\]> is required/],
      [['shrink', buggy, '--finding', '100000', '--out', repro], /there is no finding #100000/],
    ];
    for (const [args, message] of cases) {
      const run = await runAoiTraceToEnd(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
