import { parseArgs } from 'node:util';
import type { CommandSpec, OptionSpec, OptionSpecs, ParsedCommand } from './command-table.js';
import { CliUsageError } from './errors.js';
import { optionSynopsis, positionalSynopsis } from './help-text.js';
import { negativeValuesJoined } from './negative-values.js';

/** `--help` and `--json`, which every command takes; a command's own entry (its description) wins. */
export const BUILTIN_OPTIONS = {
  json: { type: 'boolean', description: 'one JSON object per line on stdout', common: true },
  help: { type: 'boolean', short: 'h', description: "the command's help", common: true },
} as const satisfies OptionSpecs;

/** The options a command takes: its own, then the built-in ones it does not declare itself. */
export function optionsOf(command: CommandSpec<OptionSpecs, never>): OptionSpecs {
  return { ...command.options, ...BUILTIN_OPTIONS, ...command.options };
}

/**
 * Parses a command's arguments by its table entry (node:util parseArgs, strict): option types, required options,
 * the number of positionals. A mistake throws a CliUsageError that says what and which option.
 */
export function parseCommandArgs<O extends OptionSpecs>(
  command: CommandSpec<O, never>,
  argv: readonly string[],
): ParsedCommand<O> & { help: boolean } {
  const split = command.rest === undefined ? -1 : argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const rest = split < 0 ? [] : argv.slice(split + 1);
  const specs = optionsOf(command as CommandSpec<OptionSpecs, never>);
  const parseSpecs = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      {
        type: spec.type === 'boolean' ? 'boolean' : 'string',
        ...(spec.short === undefined ? {} : { short: spec.short }),
        ...(spec.multiple ? { multiple: true } : {}),
      } as const,
    ]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: negativeValuesJoined(own, parseSpecs),
      options: parseSpecs,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(parseArgsMessage(error as Error));
  }
  if (parsed.values.help === true) return { values: {}, positionals: [], rest: [], argv, help: true };
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = parsed.values[name];
    if (raw === undefined) {
      if (spec.required) throw new CliUsageError(`${optionSynopsis(name, spec)} is required`);
      continue;
    }
    values[name] = Array.isArray(raw) ? raw.map((text) => typed(name, spec, text)) : typed(name, spec, raw);
  }
  checkPositionals(command, parsed.positionals);
  return { values: values as ParsedCommand<O>['values'], positionals: parsed.positionals, rest, argv, help: false };
}

/** A value of the option's type; booleans come typed from parseArgs. */
function typed(name: string, spec: OptionSpec, raw: unknown): unknown {
  if (spec.type === 'boolean' || spec.type === 'string') return raw;
  const text = String(raw);
  if (spec.type === 'choice') {
    if (spec.choices.includes(text)) return text;
    throw new CliUsageError(`--${name} must be one of ${spec.choices.join(', ')}, got "${text}"`);
  }
  const value = Number(text);
  if (spec.type === 'integer' && !(text.trim() !== '' && Number.isInteger(value))) {
    throw new CliUsageError(`--${name} must be a whole number, got "${text}"`);
  }
  if (spec.type === 'number' && !(text.trim() !== '' && Number.isFinite(value))) {
    throw new CliUsageError(`--${name} must be a number, got "${text}"`);
  }
  return value;
}

function checkPositionals(command: CommandSpec<OptionSpecs, never>, given: readonly string[]): void {
  const specs = command.positionals ?? [];
  const min = specs.filter((p) => !p.optional).length; // a variadic one not optional takes one at least
  const max = specs.some((p) => p.variadic) ? Number.POSITIVE_INFINITY : specs.length;
  const literalsMatch = specs.every((p, i) => !p.literal || given[i] === p.name);
  if (given.length >= min && given.length <= max && literalsMatch) return;
  const expected = specs.length === 0 ? 'no arguments' : positionalSynopsis(specs);
  throw new CliUsageError(`expects ${expected}, got ${describeWords(given)}`);
}

function describeWords(words: readonly string[]): string {
  if (words.length === 0) return 'none';
  return words.map((word) => `"${word}"`).join(' ');
}

/** parseArgs' messages, shortened to the part that says what is wrong. */
function parseArgsMessage(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown option ${unknown[1]}`;
  return error.message;
}
