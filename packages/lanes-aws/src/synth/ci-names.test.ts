import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsNames, MAX_ENV_LENGTH, maxLaneLength } from '@lanes/core';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { buildScript } from './ci-files.js';
import { BOOT_EXPORTS, bootExportName } from './exports.js';

/** ci/build.sh mirrors the names of `awsNames` in bash: both run here on the same names and must agree. */

const dir = mkdtempSync(join(tmpdir(), 'lanes-build-sh-'));
const script = join(dir, 'build.sh');
writeFileSync(script, buildScript(5));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Triple {
  env: string;
  service: string;
  lane: string;
}

/** Every name build.sh makes, for each triple, in one bash process (one line per name). */
function bashNames(triples: Triple[]): string[][] {
  const loop = `. "$0"; while read -r s e l; do
    boot_stack_name "$s" "$e"; boot_pipeline_name "$e"; target_group_name "$s" "$e" "$l"
    for key in ${BOOT_EXPORTS.join(' ')}; do boot_export_name "$s" "$e" "$key"; done
  done`;
  const input = triples.map((t) => `${t.service} ${t.env} ${t.lane}\n`).join('');
  const lines = execFileSync('bash', ['-c', loop, script], { input, encoding: 'utf8' }).trim().split('\n');
  const per = 3 + BOOT_EXPORTS.length;
  return triples.map((_, i) => lines.slice(i * per, (i + 1) * per));
}

function tsNames({ env, service, lane }: Triple): string[] {
  const names = awsNames(env, service, lane);
  return [
    names.bootStack,
    names.bootPipeline,
    names.targetGroup,
    ...BOOT_EXPORTS.map((key) => bootExportName(service, env, key)),
  ];
}

const segment = fc.string({ unit: fc.constantFrom('a', 'z', '0', '9'), minLength: 1, maxLength: 6 });
const part = (max: number) =>
  fc.array(segment, { minLength: 1, maxLength: 10 }).map((s) => s.join('-').slice(0, max).replace(/-+$/, ''));
const triple: fc.Arbitrary<Triple> = fc
  .tuple(part(MAX_ENV_LENGTH), part(30))
  .chain(([env, service]) => part(maxLaneLength(service, env)).map((lane) => ({ env, service, lane })));

describe('ci/build.sh makes the names awsNames makes', () => {
  test("issue 12's examples and names at the target group's hash boundary", () => {
    const triples: Triple[] = [
      { env: 'dev', service: 'a', lane: 'dev-b' },
      { env: 'dev', service: 'a-dev', lane: 'b' },
      { env: 'dev', service: 'cart', lane: 'gray' },
      { env: 'c', service: 'a-b', lane: 'default' },
      { env: 'b-c', service: 'a', lane: 'default' },
      { env: 'dev', service: 'shop', lane: 'a'.repeat(31 - 'shop--dev--'.length) },
      { env: 'dev', service: 'shop', lane: 'a'.repeat(32 - 'shop--dev--'.length) },
      { env: 'envenven', service: 's'.repeat(12), lane: 'pr-1234567890' },
      { env: 'prod', service: 'user-api', lane: 'feature-checkout-redesign' },
    ];
    const bash = bashNames(triples);
    for (const [i, t] of triples.entries()) expect(bash[i], JSON.stringify(t)).toEqual(tsNames(t));
  });

  test('generated names', () => {
    const triples = fc.sample(triple, { numRuns: 100, seed: 12 });
    const bash = bashNames(triples);
    for (const [i, t] of triples.entries()) expect(bash[i], JSON.stringify(t)).toEqual(tsNames(t));
  });

  test('check_name refuses "--", saying why, as naming.ts does', () => {
    const run = spawnSync('bash', ['-c', '. "$0"; check_name lane "dev--b"', script], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('lanes: lane "dev--b" contains "--": it separates the parts of AWS names');
    const ok = spawnSync('bash', ['-c', '. "$0"; check_name lane "dev-b"', script], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
  });
});
