// aoi-trace replay as a user drives it: a what-if run and its figures in diff, the engine as the reference of
// another server's NDJSON with a wrong event, a sweep table, bad arguments. Real child processes on real files;
// the terminal's progress in process (a child's stderr is never a terminal).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '@lanes/aoi-trace-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAoiTraceToEnd as run } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recorded = join(dir, 'recorded.aoitrace');
const walk = join(dir, 'walk.aoitrace');

beforeAll(async () => {
  const sim = await run([
    'simulate',
    '--scenario',
    'border-crowd',
    '--entities',
    '100',
    '--ticks',
    '60',
    '--view',
    '50',
    '--leave',
    '50',
    '--out',
    recorded,
  ]);
  expect(sim.code, sim.stderr).toBe(0);
  const walking = await run([
    'simulate',
    '--scenario',
    'random-walk',
    '--entities',
    '100',
    '--ticks',
    '60',
    '--out',
    walk,
  ]);
  expect(walking.code, walking.stderr).toBe(0);
});

describe('aoi-trace replay', () => {
  it('replays with the recorded settings to an identical trace, and with hysteresis to one with less churn', async () => {
    // 100 random walkers: no pair is within the file's rounding of a radius when it crosses it (a lattice's pairs
    // are; so are a few of 2,000 walkers': docs/aoi-trace.md, "Exactness").
    const same = join(dir, 'same.aoitrace');
    const replay = await run(['replay', walk, '--out', same]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('algorithm grid (recorded)');
    const diff = await run(['diff', walk, same]);
    expect(diff.stdout).toContain('identical');

    const banded = join(dir, 'banded.aoitrace');
    expect((await run(['replay', recorded, '--hysteresis', '0.25', '--out', banded])).code).toBe(0);
    const what = await run(['diff', recorded, banded, '--json', '--bytes-enter', '40']);
    expect(what.code).toBe(3);
    const { figures } = JSON.parse(what.stdout);
    expect(figures.a.messageSizes.enter).toBe(40);
    expect(figures.b.churnPerTick.mean).toBeLessThan(figures.a.churnPerTick.mean / 2);
    const text = await run(['diff', recorded, banded]);
    expect(text.stdout).toMatch(/churnPerTick\.mean\s+[\d.]+\s+[\d.]+\s+-\d+\.\d%/);
  });

  it("makes the engine the reference of another server's NDJSON and finds its wrong event (exit 3)", async () => {
    const ndjson = join(dir, 'server.ndjson');
    expect((await run(['export', recorded, '--format', 'ndjson', '--out', ndjson])).code).toBe(0);
    const lines = readFileSync(ndjson, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    header.source = 'my-go-server 1.4';
    header.attributes = {};
    lines[0] = JSON.stringify(header);
    const agrees = join(dir, 'agrees.ndjson');
    writeFileSync(agrees, `${lines.join('\n')}\n`);
    const right = await run(['replay', agrees, '--compare']);
    expect(right.code, right.stdout + right.stderr).toBe(0);
    expect(right.stdout).toContain('the engine agrees over 60 ticks');
    expect(right.stdout).toContain('algorithm grid (unknown)');

    // Tick 30's first event, an enter or exit, turned around: the server says the opposite of what happened.
    const at = lines.findIndex((line) => line.includes('"tick":30,'));
    const tick = JSON.parse(lines[at]!);
    const event = tick.events[0];
    event.kind = event.kind === 'enter' ? 'exit' : 'enter';
    lines[at] = JSON.stringify(tick);
    const wrong = join(dir, 'wrong.ndjson');
    writeFileSync(wrong, `${lines.join('\n')}\n`);
    const found = await run(['replay', wrong, '--compare']);
    expect(found.code, found.stderr).toBe(3);
    expect(found.stdout).toContain('the engine disagrees from tick 30');
    expect(found.stdout).toContain(
      `tick 30: ${event.kind}(${event.watcher}, ${event.target}) recorded, not by the engine`,
    );
  });

  it('sweeps every combination into a table, and as JSON', async () => {
    const text = await run(['replay', recorded, '--sweep', 'view-radius=45,50', 'hysteresis=0,0.25']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^view-radius\s+hysteresis\s+churn\/tick/);
    expect(lines.filter((l) => /^(45|50)\s/.test(l))).toHaveLength(4);
    // Not a terminal: no progress on stderr.
    expect(text.stderr).toBe('');
    const outDir = join(dir, 'sweep');
    const json = await run(['replay', recorded, '--sweep', 'hysteresis=0,0.25', '--json', '--out-dir', outDir]);
    const result = JSON.parse(json.stdout);
    expect(result.rows.map((r: { overrides: object }) => r.overrides)).toEqual([
      { hysteresis: 0 },
      { hysteresis: 0.25 },
    ]);
    const [none, band] = result.rows.map(
      (r: { figures: { churnPerTick: { mean: number } } }) => r.figures.churnPerTick,
    );
    expect(band.mean).toBeLessThan(none.mean / 2);
    const kept = await run(['inspect', join(outDir, 'hysteresis=0.25.aoitrace'), '--json']);
    expect(JSON.parse(kept.stdout).stats.ticks).toBe(60);
  });

  it('says what is wrong with its arguments (exit 2)', async () => {
    const both = await run([
      'replay',
      recorded,
      '--out',
      join(dir, 'x.aoitrace'),
      '--leave-radius',
      '60',
      '--hysteresis',
      '0.1',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('hysteresis and leaveRadius are two ways to set the leave radius: give one');
    const nothing = await run(['replay', recorded]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('--out <file>, --compare or --sweep');
    const badSweep = await run(['replay', recorded, '--sweep', 'radius=1']);
    expect(badSweep.stderr).toContain('"radius=1" is not');
  });
});

describe('aoi-trace replay --sweep on a terminal', () => {
  it('shows progress on stderr, and clears it before the table', async () => {
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const [out, err] = [collect(stdout), collect(stderr)];
    const code = await main(['replay', recorded, '--sweep', 'hysteresis=0,0.25'], { stdout, stderr });
    stdout.end();
    stderr.end();
    expect(code).toBe(0);
    const progress = await err;
    expect(progress).toContain('[1/2] hysteresis=0: tick 1');
    expect(progress.endsWith('\r\x1b[K')).toBe(true);
    expect(await out).toMatch(/^hysteresis\s+churn\/tick/);
  });
});

async function collect(stream: PassThrough): Promise<string> {
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  await new Promise((resolve) => stream.on('end', resolve));
  return text;
}
