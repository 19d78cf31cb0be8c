import type { CliSpec } from '@lanes/cli-kit';
import { deployCommand } from './commands/deploy.js';
import { downCommand } from './commands/down.js';
import { gatewayCommand } from './commands/gateway.js';
import { gcCommand } from './commands/gc.js';
import { logsCommand } from './commands/logs.js';
import { pipelineCommand } from './commands/pipeline.js';
import { promoteCommand } from './commands/promote.js';
import { routeCommand } from './commands/route.js';
import { deleteCommand, rollbackCommand } from './commands/simple-lane-commands.js';
import { statusCommand } from './commands/status.js';
import { synthCommand } from './commands/synth.js';
import { tokenCommand } from './commands/token.js';
import { upCommand } from './commands/up.js';
import type { CliDeps } from './providers.js';

/** The `lanes` command table: parsing, `--help`, the usage and docs/cli.md (npm run docs:cli) all come from it. */
export const LANES_CLI: CliSpec<CliDeps> = {
  name: 'lanes',
  intro: 'Run in a project folder with lanes.json, or give --project <dir>.',
  commands: [
    upCommand,
    downCommand,
    deployCommand,
    routeCommand,
    promoteCommand,
    rollbackCommand,
    deleteCommand,
    statusCommand,
    logsCommand,
    gcCommand,
    tokenCommand,
    gatewayCommand,
    synthCommand,
    pipelineCommand,
  ],
  footer: `deploy, route, promote, rollback, delete, status and logs take --provider local|aws (default local).
Every command takes --json (one JSON object per line), --help, and --debug (the stack of an error that is not yours).
Exit codes: 0 done, 1 internal error, 2 user error (bad input, busy lane), 3 the operation failed and was reverted.

Run 'lanes <command> --help' for the options of a command.`,
  packageJson: new URL('../package.json', import.meta.url),
};
