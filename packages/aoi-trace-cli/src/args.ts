import { type ParseArgsConfig, parseArgs } from 'node:util';
import { TraceError, TraceErrorCode } from '@lanes/aoi-trace';
import { type CliIo, EXIT, type ExitCode } from './io.js';
import { joinNegativeValues } from './negative-values.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed<V> {
  values: V & { json?: boolean };
  positionals: string[];
}

/**
 * Parses a command's arguments with `--help` and `--json` added; prints help (exit 0) or a usage error (exit 2)
 * itself and returns the exit code in those cases.
 */
export function parseCommand<V>(
  name: string,
  args: readonly string[],
  options: Options,
  help: string,
  io: CliIo,
): Parsed<V> | ExitCode {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`aoi-trace ${name}: ${(error as Error).message}\n\n${help}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(`${help}\n`);
    return EXIT.ok;
  }
  return parsed as Parsed<V>;
}

/** A whole number option, or undefined when absent; throws a user error naming the option. */
export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `--${name} must be a whole number >= ${min}, got "${value}".`);
  }
  return n;
}

/** A finite number option (or undefined). */
export function numberOption(
  value: string | undefined,
  name: string,
  min = Number.NEGATIVE_INFINITY,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `--${name} must be a number >= ${min}, got "${value}".`);
  }
  return n;
}

/** Exactly `count` positionals, else a usage error naming them. */
export function positionals(parsed: { positionals: string[] }, names: readonly string[], command: string): string[] {
  if (parsed.positionals.length !== names.length) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `usage: aoi-trace ${command} ${names.map((n) => `<${n}>`).join(' ')} (got ${parsed.positionals.length} argument(s)).`,
    );
  }
  return parsed.positionals;
}
