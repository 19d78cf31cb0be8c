import { type CommandSpec, defineCommand, type OptionSpecs } from '@lanes/cli-kit';
import type { CliDeps } from './providers.js';

/** A `lanes` command's table entry: every command gets the CLI's deps (tests pass their own providers). */
export function lanesCommand<const O extends OptionSpecs>(spec: CommandSpec<O, CliDeps>): CommandSpec<O, CliDeps> {
  return defineCommand<O, CliDeps>(spec);
}
