/** `--debug` anywhere before `--` (after it, the words belong to another program): the rest, and whether it was there. */
export function takeDebugFlag(argv: readonly string[]): { args: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  const args = head.filter((word) => word !== '--debug');
  return { args: [...args, ...(end < 0 ? [] : argv.slice(end))], debug: args.length < head.length };
}
