import { describe, expect, it } from 'vitest';
import { LanesConfigError } from '../errors.js';
import { parseProject } from './parse-project.js';

const context = { dir: '/p', file: '/p/lanes.json', env: 'dev', params: {} };
const withShop = (fields: Record<string, unknown>) => ({ services: { shop: { run: { command: ['x'] }, ...fields } } });

function issuesOf(raw: unknown): string[] {
  try {
    parseProject(raw, context);
  } catch (error) {
    if (error instanceof LanesConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('passiveHealth and crashLoop in lanes.json', () => {
  it('reads the settings given and fills in the rest', () => {
    const shop = parseProject(
      withShop({
        healthCheck: { unhealthyThreshold: 3 },
        passiveHealth: { ejectMs: 2000 },
        crashLoop: { maxRestarts: 2, onLoop: 'rollback' },
      }),
      context,
    ).services.shop!;
    expect(shop.healthCheck).toMatchObject({ healthyThreshold: 1, unhealthyThreshold: 3 });
    expect(shop.passiveHealth).toEqual({ consecutiveFailures: 3, ejectMs: 2000 });
    expect(shop.crashLoop).toEqual({
      maxRestarts: 2,
      windowMs: 120_000,
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      onLoop: 'rollback',
    });
  });

  it('names the field of every bad value', () => {
    const issues = issuesOf(
      withShop({
        passiveHealth: { consecutiveFailures: 0, ejectMS: 5 },
        crashLoop: { maxRestarts: 'five', initialBackoffMs: 5000, maxBackoffMs: 1000, onLoop: 'restart' },
      }),
    );
    const paths = issues.map((issue) => issue.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'services.shop.passiveHealth.consecutiveFailures',
        'services.shop.passiveHealth.ejectMS',
        'services.shop.crashLoop.maxRestarts',
        'services.shop.crashLoop.initialBackoffMs',
        'services.shop.crashLoop.onLoop',
      ]),
    );
    expect(issues.join('\n')).toContain('above maxBackoffMs (1000)');
  });
});
