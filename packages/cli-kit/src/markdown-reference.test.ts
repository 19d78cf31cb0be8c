import { describe, expect, it } from 'vitest';
import { type CliSpec, defineCommand } from './command-table.js';
import { EXIT } from './exit-codes.js';
import { cliReference, replaceGeneratedBlocks } from './markdown-reference.js';

const cli: CliSpec = {
  name: 'tool',
  intro: 'A tool.',
  footer: '',
  packageJson: new URL('file:///nowhere/package.json'),
  commands: [
    defineCommand({
      name: 'go',
      summary: 'go somewhere',
      description: 'Goes.',
      positionals: [{ name: 'where' }],
      options: { mode: { type: 'string', value: 'a|b', default: 'a', description: 'how' } },
      async run() {
        return EXIT.ok;
      },
    }),
  ],
};

describe('cliReference and replaceGeneratedBlocks', () => {
  it('makes a section per command: heading, summary, options (a | in a cell escaped)', () => {
    const block = cliReference(cli).get('command go');
    expect(block).toBe(
      [
        '### `tool go <where> [options]`',
        '',
        'Go somewhere.',
        '',
        '| Option        | Meaning         |',
        '| ------------- | --------------- |',
        '| `--mode a\\|b` | how (default a) |',
      ].join('\n'),
    );
  });

  it('replaces only what is between the markers, keeping the prose', () => {
    const doc = 'Intro.\n<!-- generated:begin commands -->\nold\n<!-- generated:end commands -->\nProse.\n';
    const blocks = new Map([['commands', 'new']]);
    expect(replaceGeneratedBlocks(doc, blocks, 'x.md')).toBe(
      'Intro.\n<!-- generated:begin commands -->\nnew\n<!-- generated:end commands -->\nProse.\n',
    );
  });

  it('fails naming the block when a command has no section, or a section no command', () => {
    expect(() => replaceGeneratedBlocks('nothing', new Map([['command go', 'x']]), 'x.md')).toThrow(
      'x.md: no place for "<!-- generated:begin command go -->"',
    );
    const stale = '<!-- generated:begin command gone -->\n<!-- generated:end command gone -->';
    expect(() => replaceGeneratedBlocks(stale, new Map(), 'x.md')).toThrow(
      '"command gone" is not in the command table',
    );
  });
});
