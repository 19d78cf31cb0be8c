/**
 * A mistake on the command line (unknown option, missing value, a word where a number goes). Branded as every
 * error of this repository (README, "Errors"), a user fault, so it renders as one line, exit 2.
 */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
    Object.defineProperty(this, Symbol.for('@lanes/error'), { value: true });
  }
}
