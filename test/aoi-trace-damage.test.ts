// The aoi-trace command line on damaged files, as a user meets them: one flipped byte in a ticks chunk, a file cut
// at 60%, chunks out of order. Every command resumes at the next keyframe, says what it could not read (text and
// --json), and export never writes NDJSON that import refuses. Real child processes on real files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAoiTrace, runAoiTraceToEnd } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runAoiTraceToEnd;

interface Span {
  offset: number;
  end: number;
  kind: number;
  firstTick: number;
  lastTick: number;
}

/** The chunks of an .aoitrace file, walking the frames (kind 2 keyframe, 3 ticks, 4 index). */
function chunks(bytes: Buffer): Span[] {
  const spans: Span[] = [];
  for (let offset = 16; offset + 40 <= bytes.length && bytes.readUInt32LE(offset) === 0x43494f41; ) {
    const end = offset + 40 + bytes.readUInt32LE(offset + 8);
    const kind = bytes[offset + 4]!;
    spans.push({
      offset,
      end,
      kind,
      firstTick: bytes.readDoubleLE(offset + 16),
      lastTick: bytes.readDoubleLE(offset + 24),
    });
    offset = end;
  }
  return spans;
}

const clean = join(dir, 'clean.aoitrace');
let bytes: Buffer;
let spans: Span[];
/** The ticks chunk right after the first keyframe, and the keyframe where reading resumes after it. */
let victim: Span;
let resume: Span;

beforeAll(async () => {
  const sim = await run([
    'simulate',
    '--scenario',
    'random-walk',
    '--entities',
    '80',
    '--ticks',
    '400',
    '--out',
    clean,
  ]);
  expect(sim.code, sim.stderr).toBe(0);
  bytes = readFileSync(clean);
  spans = chunks(bytes);
  const firstKey = spans.findIndex((s) => s.kind === 2);
  victim = spans[firstKey + 1]!;
  resume = spans.slice(firstKey + 1).find((s) => s.kind === 2)!;
  expect(victim.kind).toBe(3);
  expect(resume).toBeDefined();
});

describe('one flipped byte in a ticks chunk', () => {
  const flipped = join(dir, 'flipped.aoitrace');
  beforeAll(() => {
    const copy = Buffer.from(bytes);
    copy[victim.offset + 200]! ^= 0x10;
    writeFileSync(flipped, copy);
  });
  const lost = () => `${victim.firstTick}..${resume.lastTick}`;

  it('detect resumes at the next keyframe and names the ticks it could not read (text and --json)', async () => {
    const text = await run(['detect', flipped]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(`NOT read: ${lost()}`);
    expect(text.stdout).toMatch(
      new RegExp(`gap: \\d+ tick\\(s\\) lost \\(${lost()}\\), ticks chunk at byte ${victim.offset}`),
    );
    expect(text.stdout).toContain(`resumed at tick ${resume.lastTick + 1}`);
    const json = await run(['detect', flipped, '--json']);
    const report = JSON.parse(json.stdout);
    expect(report.lastTick).toBe(399);
    expect(report.damage).toEqual([
      expect.objectContaining({
        type: 'gap',
        offset: victim.offset,
        fromTick: victim.firstTick,
        toTick: resume.lastTick,
        ticksLost: resume.lastTick - victim.firstTick + 1,
        resumeTick: resume.lastTick + 1,
      }),
    ]);
    expect(report.coverage.covered).toEqual([
      { from: 0, to: victim.firstTick - 1 },
      { from: resume.lastTick + 1, to: 399 },
    ]);
  });

  it('diff and query read past the damage and report it instead of failing', async () => {
    const diff = await run(['diff', clean, flipped, '--json']);
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(3);
    expect(JSON.parse(diff.stdout).damage.b[0]).toMatchObject({ type: 'gap', offset: victim.offset });
    for (const question of [
      ['lifecycle', '--entity', '5'],
      ['events', '--entity', '5'],
    ]) {
      const text = await run(['query', flipped, ...question]);
      expect(text.code, text.stderr).toBe(3);
      expect(text.stdout.length).toBeGreaterThan(0);
      expect(text.stderr).toContain(`gap: `);
      expect(text.stderr).toContain(`at byte ${victim.offset}`);
      const json = await run(['query', flipped, ...question, '--json']);
      expect(JSON.parse(json.stderr).damage[0]).toMatchObject({ type: 'gap', resumeTick: resume.lastTick + 1 });
    }
  });

  it('export writes NDJSON that import accepts, and the imported file keeps the gap', async () => {
    const ndjson = join(dir, 'flipped.ndjson');
    const exported = await run(['export', flipped, '--format', 'ndjson', '--out', ndjson]);
    expect(exported.code).toBe(3);
    expect(exported.stderr).toContain(`gap: `);
    // The NDJSON itself reads as damaged too: the gap is on the line that carries the resync.
    const detect = await run(['detect', ndjson]);
    expect(detect.code, detect.stderr).toBe(3);
    expect(detect.stdout).toContain(`NOT read: ${lost()}`);
    expect(detect.stdout).toMatch(/gap: .*, line \d+: ticks lost to the ticks chunk at byte/);
    const back = join(dir, 'back.aoitrace');
    const imported = await run(['import', ndjson, '--out', back]);
    expect(imported.code, imported.stderr).toBe(0);
    const inspect = JSON.parse((await run(['inspect', back, '--verify', '--json'])).stdout);
    expect(inspect.sound).toBe(false);
    expect(inspect.damage).toEqual([
      expect.objectContaining({ type: 'gap', fromTick: victim.firstTick, toTick: resume.lastTick }),
    ]);
    const diff = await run(['diff', flipped, back, '--json']);
    expect(JSON.parse(diff.stdout).identical).toBe(true);
  });
});

describe('a file cut at 60%', () => {
  const cut = join(dir, 'cut.aoitrace');
  beforeAll(() => writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6))));

  it('every command says it is cut, in text and --json, and detect does not claim the unread ticks', async () => {
    const detect = await run(['detect', cut]);
    expect(detect.code).toBe(3);
    expect(detect.stdout).toMatch(
      /0 finding\(s\) in the ticks read \(read ticks 0\.\.\d+; NOT read: after \d+ \(file cut\)\)/,
    );
    const report = JSON.parse((await run(['detect', cut, '--json'])).stdout);
    expect(report.coverage.cut).toBe(true);
    expect(report.damage).toEqual([expect.objectContaining({ type: 'cut', lastTick: report.lastTick })]);
    for (const args of [
      ['query', cut, 'events', '--limit', '5'],
      ['export', cut, '--format', 'chrome'],
    ]) {
      const text = await run(args);
      expect(text.code).toBe(3);
      expect(text.stderr).toContain('cut: the file ends at byte');
      const json = await run([...args, '--json']);
      expect(JSON.parse(json.stderr.trim().split('\n').at(-1)!).damage[0].type).toBe('cut');
    }
    const inspect = await run(['inspect', cut]);
    expect(inspect.code).toBe(3);
    expect(inspect.stdout).toMatch(/cut +the file ends at byte/);
  });

  it('view says so when it opens the file, and again when its detectors finish', async () => {
    const view = runAoiTrace(['view', cut, '--json']);
    try {
      await view.waitForLine((l) => l.startsWith('{'), 20_000);
      // stderr and stdout are two pipes: wait for each, never assume which arrives first.
      await vi.waitFor(() => expect(view.stderr()).toContain(`${cut}: cut or damaged:\n  cut: the file ends at byte`), {
        timeout: 20_000,
        interval: 100,
      });
      await vi.waitFor(() => expect(view.stderr()).toContain('detectors done'), { timeout: 20_000, interval: 100 });
      expect(view.stderr()).toMatch(
        /detectors done, 0 finding\(s\) in the ticks read; the file is cut or damaged:\n {2}cut: /,
      );
    } finally {
      view.child.kill('SIGINT');
      expect(await view.exit()).toBe(0);
    }
  });
});

describe('chunks out of order', () => {
  it('two swapped chunks (no index) fail inspect --verify, and export writes ticks that only go forward', async () => {
    const i = spans.indexOf(victim);
    const a = bytes.subarray(spans[i]!.offset, spans[i]!.end);
    const b = bytes.subarray(spans[i + 1]!.offset, spans[i + 1]!.end);
    const index = spans.find((s) => s.kind === 4)!;
    const file = join(dir, 'swapped.aoitrace');
    writeFileSync(
      file,
      Buffer.concat([bytes.subarray(0, victim.offset), b, a, bytes.subarray(spans[i + 1]!.end, index.offset)]),
    );
    const inspect = await run(['inspect', file, '--verify', '--json']);
    expect(inspect.code).toBe(3);
    const report = JSON.parse(inspect.stdout);
    expect(report.sound).toBe(false);
    expect(report.damage.filter((d: { type: string }) => d.type === 'out-of-order')).toHaveLength(2);
    expect((await run(['inspect', file, '--verify'])).stdout).toContain('out-of-order');
    const ndjson = join(dir, 'swapped.ndjson');
    expect((await run(['export', file, '--format', 'ndjson', '--out', ndjson])).code).toBe(3);
    const ticks = readFileSync(ndjson, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line).tick as number);
    expect(ticks.every((t, k) => k === 0 || t > ticks[k - 1]!)).toBe(true);
    expect((await run(['import', ndjson, '--out', join(dir, 'swapped-back.aoitrace')])).code).toBe(0);
  });

  it('a chunk moved to other ticks with its checksum repaired is not "complete"', async () => {
    const copy = Buffer.from(bytes);
    copy.writeDoubleLE(victim.firstTick - 50, victim.offset + 16);
    copy.writeDoubleLE(victim.lastTick - 50, victim.offset + 24);
    copy.writeUInt32LE(crc32(copy.subarray(victim.offset, victim.offset + 36)), victim.offset + 36);
    const file = join(dir, 'shifted.aoitrace');
    writeFileSync(file, copy);
    const inspect = await run(['inspect', file, '--verify']);
    expect(inspect.code).toBe(3);
    expect(inspect.stdout).not.toMatch(/integrity +complete/);
    expect(inspect.stdout).toMatch(/out of order: the frame holds ticks/);
    const exported = await run(['export', file, '--format', 'ndjson']);
    const ticks = exported.stdout
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line).tick as number);
    expect(ticks.every((t, k) => k === 0 || t > ticks[k - 1]!)).toBe(true);
  });
});
