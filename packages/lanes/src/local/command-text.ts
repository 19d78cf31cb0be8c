const PLAIN_ARG = /^[\w@%+=:,./-]+$/;

/** An argv as a user would type it in a shell, so messages can be copied and run as they are. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((arg) => (PLAIN_ARG.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}
