import { isBrandedError } from './branded-error.js';
import { CLI_KIT_ERROR_CODES } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliIo, writeJsonLine } from './io.js';

/**
 * Renders an error no command handled, the same way in every CLI: a branded error (README, "Errors") by its fault
 * (user: one line, exit 2; system: its message and a hint to rerun with --debug, exit 1), an OS error by its
 * message (exit 1), anything else as an internal error, and a closed stdout (`... | head`) as a quiet end (exit 0).
 * With `json`, also one `{"result":"error",...}` line on stdout, with the error's `issues` when it lists any.
 */
export function renderError(prefix: string, error: unknown, io: CliIo, json = false): ExitCode {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  // The reader went away: nothing left to say to anyone.
  if (errno === 'EPIPE') return EXIT.ok;
  const branded = isBrandedError(error) ? error : undefined;
  const user = branded?.fault === 'user';
  // A branded error, or one with an errno code (the machine, the network), is not a bug: its message says enough.
  const explained = branded !== undefined || typeof errno === 'string';
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    const issues = (branded as { issues?: unknown } | undefined)?.issues;
    writeJsonLine(io.stdout, { result: 'error', code: branded?.code ?? CLI_KIT_ERROR_CODES.internal, message, issues });
  }
  io.stderr.write(`${prefix}: ${describe(error, message, user, explained, io.debug === true)}\n`);
  return user ? EXIT.usage : EXIT.internal;
}

/** A user's error or the machine's says its message; anything else is ours: its stack with --debug. */
function describe(error: unknown, message: string, user: boolean, explained: boolean, debug: boolean): string {
  if (user) return message;
  const stack = error instanceof Error ? (error.stack ?? message) : message;
  const said = explained ? message : `internal error: ${message}`;
  return debug ? `${said}\n${stack}` : `${said} (rerun with --debug for the stack)`;
}
