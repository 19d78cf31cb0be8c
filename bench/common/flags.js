// Command-line and environment options shared by the benchmarks: a flag on the command line wins over its
// environment variable, which wins over the default.

/** A mistake in the options: reported with the usage text, exit 1, no stack trace. */
export class UsageError extends Error {}

/**
 * The raw values given for each known flag, from the environment first and then the command line (which wins).
 * Accepts `--flag value` and `--flag=value`.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @param {Record<string, { env: string }>} flags known flags and their environment variables
 * @param {string} usage
 * @returns {Map<string, string>}
 */
export function collectFlags(argv, env, flags, usage) {
  /** @type {Map<string, string>} */
  const given = new Map();
  for (const [flag, spec] of Object.entries(flags)) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') given.set(flag, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (flag === undefined || !(flag in flags)) throw new UsageError(`Unknown option '${arg}'.\n${usage}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`Option ${flag} needs a value.\n${usage}`);
    given.set(flag, value);
  }
  return given;
}
