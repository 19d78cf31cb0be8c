import { describe, expect, it } from 'vitest';
import { CLI_DOCS, cliDoc } from '../scripts/docs-cli.js';

// The CLI references are generated from the command tables (the same tables that parse and print --help):
// a doc edited by hand, or a table changed without regenerating, fails here.
describe('the CLI docs match the command tables', () => {
  for (const { file, cli } of CLI_DOCS) {
    it(`${file} is what ${cli.name}'s command table generates`, () => {
      const { current, generated } = cliDoc(file, cli);
      const fix = `${file} differs from ${cli.name}'s command table: run npm run docs:cli and commit the result`;
      expect(current === generated, fix).toBe(true);
    });
  }
});
