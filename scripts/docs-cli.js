// Regenerates the reference parts of the CLI docs from the command tables: `npm run docs:cli`.
// The prose around the `<!-- generated:begin NAME -->` blocks stays as written; test/docs-cli.test.ts fails when a
// checked-in doc differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AOI_TRACE_CLI } from '@lanes/aoi-trace-cli';
import { LANES_CLI } from '@lanes/cli';
import { cliReference, replaceGeneratedBlocks } from '@lanes/cli-kit';

const root = new URL('../', import.meta.url);

/** Each generated doc, with the table it comes from (repository-relative paths). */
export const CLI_DOCS = [
  { file: 'docs/cli.md', cli: LANES_CLI },
  { file: 'docs/aoi-trace-cli.md', cli: AOI_TRACE_CLI },
];

/** The doc as the command table makes it, and as it is checked in. */
export function cliDoc(file, cli) {
  const current = readFileSync(new URL(file, root), 'utf8');
  return { current, generated: replaceGeneratedBlocks(current, cliReference(cli), file) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { file, cli } of CLI_DOCS) {
    const { current, generated } = cliDoc(file, cli);
    if (generated === current) continue;
    writeFileSync(fileURLToPath(new URL(file, root)), generated);
    process.stdout.write(`wrote ${file}\n`);
  }
}
