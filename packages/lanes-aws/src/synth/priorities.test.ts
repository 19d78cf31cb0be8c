import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsNames, LanesError } from '@lanes/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildScript } from './ci-files.js';
import {
  checkPriorityCollisions,
  lanePriorities,
  MAX_RULE_PRIORITY,
  PRIORITY_BAND,
  PRIORITY_SLOTS,
  priorityCollisions,
} from './priorities.js';

const laneName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/).filter((l) => l !== 'default');

describe('rule priorities', () => {
  test('stable: a function of the names only', () => {
    expect(lanePriorities('cart', 'gray')).toEqual(lanePriorities('cart', 'gray'));
  });

  test('each band in range and in precedence order', () => {
    fc.assert(
      fc.property(laneName, (lane) => {
        const priorities = lanePriorities('cart', lane);
        expect(priorities).toHaveLength(PRIORITY_SLOTS.length);
        priorities.forEach((p, band) => {
          expect(p).toBeGreaterThanOrEqual(band * PRIORITY_BAND + 1);
          expect(p).toBeLessThanOrEqual((band + 1) * PRIORITY_BAND);
          expect(p).toBeLessThanOrEqual(MAX_RULE_PRIORITY);
        });
      }),
    );
  });

  test('two lanes never share a priority unless their hashes collide, which synth refuses', () => {
    fc.assert(
      fc.property(laneName, laneName, (a, b) => {
        fc.pre(a !== b);
        const shared = lanePriorities('cart', a).some((p) => lanePriorities('cart', b).includes(p));
        expect(shared).toBe(priorityCollisions('cart', [a, b]).length > 0);
      }),
    );
  });

  test('a collision between known lanes is a user error naming both lanes', () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const lane = `pr-${i}`;
      const first = lanePriorities('cart', lane)[0] ?? 0;
      const other = seen.get(first);
      if (other) pair = [other, lane];
      seen.set(first, lane);
    }
    expect(() => checkPriorityCollisions('cart', pair)).toThrowError(LanesError);
    expect(() => checkPriorityCollisions('cart', pair)).toThrowError(new RegExp(`"${pair[0]}" and "${pair[1]}"`));
    expect(() => checkPriorityCollisions('cart', ['gray', 'blue'])).not.toThrow();
  });
});

describe('ci/build.sh computes the same names and priorities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-build-sh-'));
  const script = join(dir, 'build.sh');
  writeFileSync(script, buildScript(5));
  const bash = (fn: string, ...args: string[]) =>
    execFileSync('bash', ['-c', `. "$0"; ${fn} "$@"`, script, ...args], { encoding: 'utf8' }).trim();

  test.each([
    ['cart', 'dev', 'gray'],
    ['cart', 'dev', 'pr-12345'],
    ['checkout-service', 'staging', 'feature-very-long-name'],
    ['a', 'prod', 'x'],
  ])('%s %s %s', (service, env, lane) => {
    expect(bash('rule_priorities', service, lane)).toBe(lanePriorities(service, lane).join(','));
    expect(bash('target_group_name', service, env, lane)).toBe(awsNames(env, service, lane).targetGroup);
  });
});
