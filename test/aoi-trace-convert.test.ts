import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMAT_VERSIONS } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAoiTraceInProcess as run } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const major = (path: string) => readFileSync(path).readUInt16LE(8);
const minor = (path: string) => readFileSync(path).readUInt16LE(10);

// Formats 3.1 (the default) and 3.0 through the CLI: convert up and back down, import and read it like any trace.
describe('aoi-trace convert', () => {
  const clean = join(dir, 'clean.aoitrace');
  beforeAll(async () => {
    const args = ['--scenario', 'random-walk', '--entities', '60', '--ticks', '80', '--seed', '5', '--out', clean];
    expect((await run(['simulate', ...args])).code).toBe(0);
  });

  it.each([
    ['3.1', []],
    ['3.0', ['--to', '3.0']],
  ])('upgrades to %s (smaller, same ticks) and downgrades back to the same bytes', async (version, to) => {
    const v3 = join(dir, `v${version}.aoitrace`);
    const up = await run(['convert', clean, '--out', v3, '--json', ...to]);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ out: v3, ticks: 80, from: '2.x', to: version });
    expect(major(clean)).toBe(2);
    expect(`${major(v3)}.${minor(v3)}`).toBe(version);
    expect(readFileSync(v3).length).toBeLessThan(readFileSync(clean).length);
    const diff = await run(['diff', clean, v3]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.stdout).toContain('identical');
    const detect = await run(['detect', v3, '--json']);
    const detectClean = await run(['detect', clean, '--json']);
    expect({ ...JSON.parse(detect.stdout), trace: '' }).toEqual({ ...JSON.parse(detectClean.stdout), trace: '' });
    const v2 = join(dir, `v2-from-${version}.aoitrace`);
    const down = await run(['convert', v3, '--out', v2, '--to', '2.2']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`80 ticks converted from format ${version} to 2.2`);
    expect(readFileSync(v2)).toEqual(readFileSync(clean));
  });

  it('imports NDJSON as 3.1 with --format', async () => {
    const ndjson = join(dir, 'clean.ndjson');
    expect((await run(['export', clean, '--format', 'ndjson', '--out', ndjson])).code).toBe(0);
    const imported = join(dir, 'imported.aoitrace');
    const result = await run(['import', ndjson, '--out', imported, '--format', '3.1']);
    expect(result.code, result.stderr).toBe(0);
    expect(`${major(imported)}.${minor(imported)}`).toBe('3.1');
    expect((await run(['diff', clean, imported])).code).toBe(0);
  });

  it('refuses an unknown version, naming the ones it writes', async () => {
    const result = await run(['convert', clean, '--out', join(dir, 'x.aoitrace'), '--to', '4.0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--to must be one of ${FORMAT_VERSIONS.join(', ')}, got "4.0"`);
  });
});
