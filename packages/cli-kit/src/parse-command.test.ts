import { describe, expect, it } from 'vitest';
import { defineCommand } from './command-table.js';
import { EXIT } from './exit-codes.js';
import { parseCommandArgs } from './parse-command.js';

const command = defineCommand({
  name: 'try',
  summary: 'a command to parse',
  description: 'Parses.',
  positionals: [{ name: 'what' }, { name: 'more', variadic: true, optional: true }],
  rest: '<command...>',
  options: {
    count: { type: 'integer', short: 'n', value: '<n>', description: 'how many' },
    ratio: { type: 'number', value: '<r>', description: 'how much' },
    tag: { type: 'string', multiple: true, value: '<tag>', description: 'a tag' },
    need: { type: 'string', value: '<x>', required: true, description: 'required' },
    dry: { type: 'boolean', description: 'a flag' },
  },
  async run() {
    return EXIT.ok;
  },
});

const parse = (...argv: string[]) => parseCommandArgs(command, argv);

describe('parseCommandArgs', () => {
  it('types the values by the table: integers, numbers (negative too), repeated strings, flags', () => {
    const parsed = parse('a', '-n', '-3', '--ratio', '-.5', '--tag', 'x', '--tag', 'y', '--need', 'z', '--dry', 'b');
    expect(parsed.values).toEqual({ count: -3, ratio: -0.5, tag: ['x', 'y'], need: 'z', dry: true });
    expect(parsed.positionals).toEqual(['a', 'b']);
    expect(parsed.help).toBe(false);
  });

  it('keeps the words after -- for a command with rest, options there included', () => {
    expect(parse('a', '--need', 'z', '--', 'node', '--count', 'x').rest).toEqual(['node', '--count', 'x']);
  });

  it('answers --help before checking anything else', () => {
    expect(parse('--help').help).toBe(true);
    expect(parse('-h', '--count', 'many').help).toBe(true);
  });

  it('says what is wrong, naming the option', () => {
    expect(() => parse('a', '--need', 'z', '--count', '1.5')).toThrow('--count must be a whole number, got "1.5"');
    expect(() => parse('a', '--need', 'z', '--ratio', '')).toThrow('--ratio must be a number, got ""');
    expect(() => parse('a')).toThrow('--need <x> is required');
    expect(() => parse('a', '--need', 'z', '--nope')).toThrow('unknown option --nope');
    expect(() => parse('--need', 'z')).toThrow('expects <what> [<more>...], got none');
  });

  it('throws a branded user error, so every CLI renders it as one line, exit 2', () => {
    try {
      parse('a');
    } catch (error) {
      expect((error as Record<symbol, unknown>)[Symbol.for('@lanes/error')]).toBe(true);
      expect(error).toMatchObject({ fault: 'user', code: 'CLI_KIT_USAGE' });
      return;
    }
    throw new Error('expected a usage error');
  });
});
