import type { CliSpec, CommandSpec, OptionSpec, OptionSpecs, PositionalSpec } from './command-table.js';

/** `--lines <n>`, `--set KEY=VALUE`, `--to 2.2|3.0`, `--follow`: how an option is written. */
export function optionSynopsis(name: string, spec: OptionSpec): string {
  if (spec.type === 'boolean') return `--${name}`;
  return `--${name} ${spec.value ?? spec.choices?.join('|') ?? '<value>'}`;
}

/** `-n, --lines <n>` (short form first), as help and docs list it. */
export function optionLabel(name: string, spec: OptionSpec): string {
  return spec.short === undefined ? optionSynopsis(name, spec) : `-${spec.short}, ${optionSynopsis(name, spec)}`;
}

/**
 * The description with the default and "repeatable" appended, as help and docs show it; the choices too when the
 * synopsis names the value (`--scenario <name>`) instead of listing them.
 */
export function optionText(spec: OptionSpec): string {
  const choices = spec.choices !== undefined && spec.value !== undefined ? `one of ${spec.choices.join(', ')}` : '';
  const notes = [
    choices,
    spec.default === undefined ? '' : `default ${spec.default}`,
    spec.multiple ? 'repeatable' : '',
  ];
  const said = notes.filter(Boolean).join('; ');
  return said === '' ? spec.description : `${spec.description} (${said})`;
}

/** `<service> <lane>`, `start <service>`, `<pair>...`, `[<lane>]`. */
export function positionalSynopsis(specs: readonly PositionalSpec[]): string {
  return specs
    .map((p) => {
      const word = p.literal ? p.name : `<${p.name}>${p.variadic ? '...' : ''}`;
      return p.optional ? `[${word}]` : word;
    })
    .join(' ');
}

/**
 * `deploy <service> <lane> [options]`: positionals, required options, then `[options]` when there are more
 * (`brief`, for the command list, leaves that out).
 */
export function commandSynopsis(command: CommandSpec<OptionSpecs, never>, brief = false): string {
  const own = Object.entries(command.options).filter(([, spec]) => !spec.common);
  const required = own.filter(([, spec]) => spec.required).map(([name, spec]) => optionSynopsis(name, spec));
  const optional = own.length > required.length && !brief ? ['[options]'] : [];
  const rest = command.rest === undefined ? [] : ['--', command.rest];
  const positionals = positionalSynopsis(command.positionals ?? []);
  return [command.name, positionals, ...required, ...optional, ...rest].filter(Boolean).join(' ');
}

/** Widest first column; a longer entry puts its text on the next line. */
const MAX_LEFT = 34;

/** Two columns, the first padded to its widest entry (at most MAX_LEFT); long texts stay on one line. */
function columns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.min(MAX_LEFT, Math.max(0, ...rows.map(([left]) => left.length)));
  const line = ([left, right]: readonly [string, string]) =>
    left.length > width
      ? `  ${left}\n  ${' '.repeat(width)}   ${right}`
      : `  ${left.padEnd(width)}   ${right}`.trimEnd();
  return rows.map(line).join('\n');
}

function optionRows(options: OptionSpecs, common: boolean): [string, string][] {
  return (
    Object.entries(options)
      .filter(([, spec]) => (spec.common === true) === common)
      // Long forms line up under each other, short forms in front of them.
      .map(([name, spec]) => [
        spec.short ? optionLabel(name, spec) : `    ${optionLabel(name, spec)}`,
        optionText(spec),
      ])
  );
}

/** A command's `--help`: the usage line, its prose, its options, then the options every command takes. */
export function commandHelp(cli: string, command: CommandSpec<OptionSpecs, never>, all: OptionSpecs): string {
  const own = optionRows(all, false);
  const common = optionRows(all, true);
  return [
    `Usage: ${cli} ${commandSynopsis(command)}`,
    '',
    command.description,
    ...(own.length === 0 ? [] : ['', 'Options:', columns(own)]),
    '',
    'Common options:',
    columns(common),
    '',
  ].join('\n');
}

/** The top-level usage: the intro, one line per command, the footer. */
export function cliUsage(cli: CliSpec<never>): string {
  const rows = cli.commands.map((c) => [commandSynopsis(c, true), c.summary] as const);
  return [
    `Usage: ${cli.name} <command> [options]`,
    '',
    cli.intro,
    '',
    'Commands:',
    columns(rows),
    '',
    cli.footer,
    '',
  ].join('\n');
}
