import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/**
 * What the parser makes of an option's text. Only the type: ranges are the library's rule (it throws its own
 * branded user error), so a CLI and a program calling the library get the same check. `choice` is one of the set
 * the option declares (`choices`), checked here because help and docs list that set too.
 */
export type OptionType = 'string' | 'boolean' | 'integer' | 'number' | 'choice';

/** What every option declares, whatever its type. */
interface OptionSpecBase {
  readonly short?: string;
  /** Repeatable: the values come as an array. */
  readonly multiple?: boolean;
  /** The value's name in help and docs: `--lines <n>`, `--set KEY=VALUE` (default `<value>`). */
  readonly value?: string;
  /** The default as help and docs show it; the command or its library applies it. */
  readonly default?: string;
  readonly description: string;
  readonly required?: boolean;
  /** One of the options every command of the CLI takes: listed under "Common options", not per command. */
  readonly common?: boolean;
}

/** An option whose text is free (`string`) or parsed as a number or a flag. */
export interface ValueOptionSpec extends OptionSpecBase {
  readonly type: Exclude<OptionType, 'choice'>;
  readonly choices?: never;
}

/**
 * An option whose value is one of a fixed set, declared once here: the parser refuses any other value naming the
 * allowed ones, help and docs list them, and the parsed value is typed as their union.
 */
export interface ChoiceOptionSpec extends OptionSpecBase {
  readonly type: 'choice';
  readonly choices: readonly [string, ...string[]];
}

/** One option of a command: parsing, `--help` and the generated docs all read it. */
export type OptionSpec = ValueOptionSpec | ChoiceOptionSpec;

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/**
 * A positional argument; `literal` is a word typed as is (`pipeline start`), `variadic` takes the rest (at least
 * one unless `optional`).
 */
export interface PositionalSpec {
  readonly name: string;
  readonly literal?: boolean;
  readonly optional?: boolean;
  readonly variadic?: boolean;
}

type ValueOf<S extends OptionSpec> = S extends { readonly choices: readonly (infer C extends string)[] }
  ? C
  : S['type'] extends 'boolean'
    ? boolean
    : S['type'] extends 'integer' | 'number'
      ? number
      : string;

/** The parsed values of a command's options, typed from its table entry. */
export type OptionValues<O extends OptionSpecs> = {
  -readonly [K in keyof O]?: O[K]['multiple'] extends true ? ValueOf<O[K]>[] : ValueOf<O[K]>;
} & { json?: boolean };

export interface ParsedCommand<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
  /** The words after `--`, for a command with `rest` (a command line to run). */
  rest: string[];
  /** The arguments as given (a command that starts itself again passes them on). */
  argv: readonly string[];
}

/** One command: its name, help, options and what it runs. `D` is what the CLI hands every command (its deps). */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs, D = undefined> {
  readonly name: string;
  /** One line for the command list of the top-level usage and the docs. */
  readonly summary: string;
  readonly positionals?: readonly PositionalSpec[];
  /** The words after `--` as the usage shows them (`<command> [args...]`); without it `--` ends options only. */
  readonly rest?: string;
  readonly options: O;
  /** The prose of `--help`, between the usage line and the options. */
  readonly description: string;
  // A method, so a table of commands with different options is one array (method parameters are bivariant).
  run(parsed: ParsedCommand<O>, io: CliIo, deps: D): Promise<ExitCode>;
}

/** Gives a command's table entry its option types; the entry is returned as is. */
export function defineCommand<const O extends OptionSpecs, D = undefined>(spec: CommandSpec<O, D>): CommandSpec<O, D> {
  return spec;
}

/** A whole CLI: its commands and the prose around them in the top-level usage. */
export interface CliSpec<D = undefined> {
  readonly name: string;
  /** Lines after `Usage: <name> <command> [options]`, before the command list. */
  readonly intro: string;
  /** Lines after the command list: common flags, exit codes, where the docs are. */
  readonly footer: string;
  readonly commands: readonly CommandSpec<OptionSpecs, D>[];
  /** The CLI's package.json, for `--version`. */
  readonly packageJson: URL;
}
