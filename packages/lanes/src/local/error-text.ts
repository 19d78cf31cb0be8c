/** The `code` of a Node system error (`ENOENT`, `ESRCH`), so callers can tell expected failures from real ones. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short reason for messages and log lines: the error code first when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = errnoCode(error);
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
