/** Option specs as node:util parseArgs takes them (only what the rewrite needs). */
type OptionSpecs = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/** A value that starts with a dash but is a number (or a list of numbers): `-1`, `-.5`, `-100,-100,100,100`. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * `--weight -1`, `-n -5` and `--bounds -100,-100,100,100` as `--weight=-1`, `--lines=-5`, `--bounds=...`:
 * parseArgs takes a value that starts with `-` for an option and refuses it as ambiguous, so the command's own
 * check could never say what is wrong with the number. Arguments after `--` (a recorded command) are left alone.
 */
export function negativeValuesJoined(args: readonly string[], options: OptionSpecs): string[] {
  const longOf = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    longOf.set(`--${name}`, name);
    if (spec.short !== undefined) longOf.set(`-${spec.short}`, name);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return out.concat(args.slice(i));
    const name = longOf.get(arg);
    const next = args[i + 1];
    if (name !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
