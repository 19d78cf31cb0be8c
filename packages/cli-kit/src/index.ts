export { type BrandedError, isBrandedError } from './branded-error.js';
export { endQuietlyOnBrokenPipe } from './broken-pipe.js';
export {
  type ChoiceOptionSpec,
  type CliSpec,
  type CommandSpec,
  defineCommand,
  type OptionSpec,
  type OptionSpecs,
  type OptionType,
  type OptionValues,
  type ParsedCommand,
  type PositionalSpec,
  type ValueOptionSpec,
} from './command-table.js';
export { takeDebugFlag } from './debug-flag.js';
export { CLI_KIT_ERROR_CODES, type CliKitErrorCode, CliUsageError } from './errors.js';
export { EXIT, type ExitCode } from './exit-codes.js';
export { cliUsage, commandHelp, commandSynopsis } from './help-text.js';
export { type CliIo, processIo, writeJsonLine } from './io.js';
export { cliReference, replaceGeneratedBlocks } from './markdown-reference.js';
export { negativeValuesJoined } from './negative-values.js';
export { BUILTIN_OPTIONS, optionsOf, parseCommandArgs } from './parse-command.js';
export { renderError } from './render-error.js';
export { runCli } from './run-cli.js';
export { textTable } from './text-table.js';
