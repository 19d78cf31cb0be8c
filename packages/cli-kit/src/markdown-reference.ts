import type { CliSpec, OptionSpecs } from './command-table.js';
import { commandSynopsis, optionLabel, optionText } from './help-text.js';
import { optionsOf } from './parse-command.js';

/** A Markdown table, columns padded so the source reads as a table too. */
function table(head: readonly [string, string], given: readonly (readonly [string, string])[]): string {
  // A `|` inside a cell (`local|aws`) would end it.
  const rows = given.map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const all = [head, ...rows];
  const width = [0, 1].map((i) => Math.max(3, ...all.map((row) => (row[i] as string).length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(width[i] as number)).join(' | ')} |`;
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function optionTable(options: OptionSpecs, common: boolean): string | undefined {
  const rows = Object.entries(options)
    .filter(([, spec]) => (spec.common === true) === common)
    .map(([name, spec]) => [`\`${optionLabel(name, spec)}\``, optionText(spec)] as const);
  if (common) rows.push(['`--debug`', 'on an error that is not yours (exit 1), print its stack']);
  return rows.length === 0 ? undefined : table(['Option', 'Meaning'], rows);
}

/**
 * The reference parts of a CLI's doc, generated from its command table, by block name: `commands` (the list),
 * `common-options`, and `command <name>` (heading, summary, options) for each command. The doc's prose stays
 * hand-written around them (see replaceGeneratedBlocks).
 */
export function cliReference(cli: CliSpec<never>): Map<string, string> {
  const blocks = new Map<string, string>();
  const rows = cli.commands.map((c) => [`\`${cli.name} ${commandSynopsis(c, true)}\``, c.summary] as const);
  blocks.set('commands', table(['Command', 'What it does'], rows));
  const first = cli.commands[0];
  if (first !== undefined) blocks.set('common-options', optionTable(optionsOf(first), true) ?? '');
  for (const command of cli.commands) {
    const options = optionTable(command.options, false);
    const parts = [`### \`${cli.name} ${commandSynopsis(command)}\``, `${capitalized(command.summary)}.`];
    blocks.set(`command ${command.name}`, [...parts, ...(options === undefined ? [] : [options])].join('\n\n'));
  }
  return blocks;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const MARKER = /<!-- generated:begin (.+?) -->\n[\s\S]*?<!-- generated:end \1 -->/g;

/**
 * The doc with every `<!-- generated:begin NAME -->` ... `<!-- generated:end NAME -->` block replaced by the
 * block of that name. Throws when the doc lacks a block (a new command without its section) or has one the table
 * no longer makes (a removed command), naming it.
 */
export function replaceGeneratedBlocks(doc: string, blocks: ReadonlyMap<string, string>, file: string): string {
  const seen = new Set<string>();
  const out = doc.replace(MARKER, (_all, name: string) => {
    const block = blocks.get(name);
    if (block === undefined) throw new Error(`${file}: generated block "${name}" is not in the command table`);
    seen.add(name);
    return `<!-- generated:begin ${name} -->\n${block}\n<!-- generated:end ${name} -->`;
  });
  const missing = [...blocks.keys()].filter((name) => !seen.has(name));
  if (missing.length > 0) {
    const list = missing.map((name) => `"<!-- generated:begin ${name} -->"`).join(', ');
    throw new Error(`${file}: no place for ${list}: add the begin and end markers where the section belongs`);
  }
  return out;
}
