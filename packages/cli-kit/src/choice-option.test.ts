import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CliSpec, defineCommand } from './command-table.js';
import { EXIT } from './exit-codes.js';
import { commandHelp } from './help-text.js';
import { cliReference } from './markdown-reference.js';
import { optionsOf, parseCommandArgs } from './parse-command.js';

const VERSIONS = ['2.2', '3.0'] as const;

const command = defineCommand({
  name: 'write',
  summary: 'write something',
  description: 'Writes.',
  options: {
    to: { type: 'choice', choices: VERSIONS, default: '3.0', description: 'the version' },
    mode: { type: 'choice', choices: ['fast', 'careful', 'paranoid'], value: '<mode>', description: 'how' },
    tag: { type: 'choice', choices: ['a', 'b'], multiple: true, description: 'tags' },
    engine: { type: 'choice', choices: ['node', 'nginx'], required: true, description: 'the engine' },
  },
  async run({ values }) {
    // The parsed values are typed as the union of the choices, not string.
    expectTypeOf(values.to).toEqualTypeOf<'2.2' | '3.0' | undefined>();
    expectTypeOf(values.mode).toEqualTypeOf<'fast' | 'careful' | 'paranoid' | undefined>();
    expectTypeOf(values.tag).toEqualTypeOf<('a' | 'b')[] | undefined>();
    return EXIT.ok;
  },
});

const parse = (...argv: string[]) => parseCommandArgs(command, argv);

describe('a choice option', () => {
  it('takes one of its choices, each of a repeated one too', () => {
    const parsed = parse('--to', '2.2', '--mode', 'careful', '--tag', 'b', '--tag', 'a', '--engine', 'nginx');
    expect(parsed.values).toEqual({ to: '2.2', mode: 'careful', tag: ['b', 'a'], engine: 'nginx' });
  });

  it('refuses any other value as a usage error naming the option, the value and the choices', () => {
    expect(() => parse('--engine', 'node', '--to', '4.0')).toThrow('--to must be one of 2.2, 3.0, got "4.0"');
    expect(() => parse('--engine', 'node', '--tag', 'a', '--tag', 'c')).toThrow('--tag must be one of a, b, got "c"');
    // Exact, case and all: a prefix or another case is not a choice.
    expect(() => parse('--engine', 'NGINX')).toThrow('--engine must be one of node, nginx, got "NGINX"');
    expect(() => parse('--engine', '')).toThrow('--engine must be one of node, nginx, got ""');
    expect(() => parse('--engine', 'node', '--mode', 'fas')).toThrow(/got "fas"/);
    try {
      parse('--engine', 'gcc');
    } catch (error) {
      expect(error).toMatchObject({ fault: 'user', code: 'CLI_KIT_USAGE' });
      return;
    }
    throw new Error('expected a usage error');
  });

  it('is required like any option', () => {
    expect(() => parse('--to', '3.0')).toThrow('--engine node|nginx is required');
  });

  it('lists its choices in --help: in the synopsis, or after the description when the value has a name', () => {
    const help = commandHelp('tool', command, optionsOf(command));
    expect(help).toContain('Usage: tool write --engine node|nginx [options]');
    expect(help).toMatch(/--to 2\.2\|3\.0 +the version \(default 3\.0\)\n/);
    expect(help).toMatch(/--mode <mode> +how \(one of fast, careful, paranoid\)\n/);
    expect(help).toMatch(/--tag a\|b +tags \(repeatable\)\n/);
  });

  it('lists its choices in the generated docs', () => {
    const cli: CliSpec = {
      name: 'tool',
      intro: '',
      footer: '',
      packageJson: new URL('file:///x'),
      commands: [command],
    };
    const block = cliReference(cli).get('command write') ?? '';
    expect(block).toContain('| `--to 2.2\\|3.0` ');
    expect(block).toContain('how (one of fast, careful, paranoid)');
  });
});
