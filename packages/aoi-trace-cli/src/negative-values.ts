import type { ParseArgsConfig } from 'node:util';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** A value that starts with a dash but is a number or a list of numbers: `-1`, `-.5`, `-100,-100,100,100`. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * `--bounds -100,-100,100,100` as `--bounds=-100,-100,100,100`: parseArgs refuses a value that starts with `-` as
 * ambiguous, so only the `=` form worked. Long and short options; arguments after `--` (a recorded command) are
 * left alone.
 */
export function joinNegativeValues(args: readonly string[], options: OptionSpecs): string[] {
  const names = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    names.set(`--${name}`, name);
    if (spec.short !== undefined) names.set(`-${spec.short}`, name);
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return joined.concat(args.slice(i));
    const name = names.get(arg);
    const value = args[i + 1];
    if (name === undefined || value === undefined || !NEGATIVE_NUMBER.test(value)) joined.push(arg);
    else {
      joined.push(`--${name}=${value}`);
      i++;
    }
  }
  return joined;
}
