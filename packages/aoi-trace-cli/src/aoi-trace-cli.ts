import type { CliSpec } from '@lanes/cli-kit';
import { exportCommand, importCommand } from './commands/convert.js';
import { convertCommand } from './commands/convert-version.js';
import { detectCommand } from './commands/detect.js';
import { diffCommand } from './commands/diff.js';
import { inspectCommand } from './commands/inspect.js';
import { queryCommand } from './commands/query.js';
import { recordCommand } from './commands/record.js';
import { replayCommand } from './commands/replay.js';
import { serveCommand } from './commands/serve.js';
import { shrinkCommand } from './commands/shrink.js';
import { simulateCommand } from './commands/simulate.js';
import { viewCommand } from './commands/view.js';

/**
 * The `aoi-trace` command table: parsing, `--help`, the usage and docs/aoi-trace-cli.md (npm run docs:cli) all
 * come from it. A new command is one more entry (packages/cli-kit/README.md, "Adding a command").
 */
export const AOI_TRACE_CLI: CliSpec = {
  name: 'aoi-trace',
  intro: 'Record every AOI visibility change, store it compactly, rewind, diff, and detect AOI bugs.',
  commands: [
    simulateCommand,
    recordCommand,
    inspectCommand,
    queryCommand,
    diffCommand,
    detectCommand,
    replayCommand,
    shrinkCommand,
    exportCommand,
    importCommand,
    convertCommand,
    serveCommand,
    viewCommand,
  ],
  footer: `<trace> is an .aoitrace or NDJSON file. Every command takes --help, --json, and --debug (the stack of an error
that is not yours).
Exit codes: 0 ok, 1 internal error, 2 bad input or arguments, 3 findings (detect, diff, inspect, record)
or a cut or damaged input (read as far as it could be; what was lost is listed).
Formats: docs/aoitrace-format.md, docs/aoi-trace-ndjson.md. Guide: docs/aoi-trace.md. Reference: docs/aoi-trace-cli.md.`,
  packageJson: new URL('../package.json', import.meta.url),
};
