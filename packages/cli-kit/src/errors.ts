/** The kit's code registry (README, "Errors": the package's name in capitals as the prefix). */
export const CLI_KIT_ERROR_CODES = {
  /** A mistake on the command line: unknown option, missing value, a word where a number goes. */
  usage: 'CLI_KIT_USAGE',
  /** In `--json` output only: an error without the brand reached the CLI (a bug). */
  internal: 'CLI_KIT_INTERNAL',
} as const;
export type CliKitErrorCode = (typeof CLI_KIT_ERROR_CODES)[keyof typeof CLI_KIT_ERROR_CODES];

/**
 * A mistake on the command line (unknown option, missing value, a word where a number goes). Branded as every
 * error of this repository (README, "Errors"), a user fault, so it renders as one line, exit 2.
 */
export class CliUsageError extends Error {
  readonly code: CliKitErrorCode = CLI_KIT_ERROR_CODES.usage;
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
    Object.defineProperty(this, Symbol.for('@lanes/error'), { value: true });
  }
}
