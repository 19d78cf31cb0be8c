import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { negativeValuesJoined } from './negative-values.js';

const OPTIONS = {
  weight: { type: 'string' },
  lines: { type: 'string', short: 'n' },
  json: { type: 'boolean' },
} as const;

const parse = (args: string[]) =>
  parseArgs({ args: negativeValuesJoined(args, OPTIONS), options: OPTIONS, allowPositionals: true, strict: true });

describe('negative numbers as option values', () => {
  it('reach the command for long and short options, in every number form', () => {
    expect(parse(['--weight', '-1']).values.weight).toBe('-1');
    expect(parse(['--weight', '-.5']).values.weight).toBe('-.5');
    expect(parse(['-n', '-5', 'api']).values).toMatchObject({ lines: '-5' });
    expect(parse(['-n', '-5', 'api']).positionals).toEqual(['api']);
    expect(parse(['--weight', '-1e3', '--json']).values).toMatchObject({ weight: '-1e3', json: true });
  });

  it('leave options, boolean flags and everything after -- alone', () => {
    expect(() => parse(['--weight', '--json'])).toThrow(/ambiguous/);
    expect(() => parse(['--json', '-5'])).toThrow(/Unknown option '-5'/);
    expect(negativeValuesJoined(['api', '--', '--weight', '-1'], OPTIONS)).toEqual(['api', '--', '--weight', '-1']);
  });
});
