import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';

const EXAMPLE = fileURLToPath(new URL('../examples/shop/', import.meta.url));

async function lanes(args: string[]) {
  const cli = runLanes(args);
  const code = await cli.exit();
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr() };
}

describe('lanes synth and --provider aws (no AWS reached)', () => {
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'lanes-synth-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes the infra repo: templates, pipelines, buildspec, build.sh, params; the same bytes every time', async () => {
    const first = await lanes(['synth', '--project', EXAMPLE, '--out', join(out, 'a'), '--json']);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout.split('\n').at(-1)!) as { files: string[]; warnings: unknown[] };
    const files = result.files;
    // Every example template fits CloudFormation's 51,200-byte inline limit: nothing to warn about.
    expect(result.warnings).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'ci/buildspec.yaml',
        'ci/build.sh',
        'ci/templates/app-lane.template.json',
        'ci/templates/app-default.template.json',
        'params/shop-dev.json',
      ]),
    );
    expect(files.some((f) => f.startsWith('ci/pipelines/'))).toBe(true);
    await lanes(['synth', '--project', EXAMPLE, '--out', join(out, 'b')]);
    for (const file of files) {
      expect(await readFile(join(out, 'b', file), 'utf8')).toBe(await readFile(join(out, 'a', file), 'utf8'));
    }
    const lane = JSON.parse(await readFile(join(out, 'a', 'ci/templates/app-lane.template.json'), 'utf8'));
    expect(Object.keys(lane.Parameters)).toEqual(expect.arrayContaining(['ServiceName', 'Env', 'Lane', 'ImageUri']));
    // Two synths in child processes take seconds of CPU each; the bound is a hang guard for a busy machine.
  }, 180_000);

  it('refuses an AWS deploy without an image, and an unknown provider, before touching the network', async () => {
    const noImage = await lanes(['deploy', '--project', EXAMPLE, 'shop', 'gray', '--provider', 'aws']);
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toContain('--provider aws needs --image');
    const bogus = await lanes(['status', '--project', EXAMPLE, '--provider', 'gcp']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('--provider must be one of local, aws, got "gcp"');
  });
});
