import { type LaneKey, LanesError, type ProjectSession, serviceLaneProblem } from '@lanes/core';

/** `<service> <lane>` (counted by the command table), checked against the project; a mistake names what exists. */
export function laneKeyFrom(session: ProjectSession, positionals: readonly string[]): LaneKey {
  const [service, lane] = positionals as [string, string];
  const problem = serviceLaneProblem(session.project, service, lane);
  if (problem) throw new LanesError('LANES_UNKNOWN_LANE', problem, 'user');
  return { env: session.project.env, service, lane };
}

/** `--set KEY=VALUE` pairs. */
export function parseSetVars(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at === -1 ? '' : pair.slice(0, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new LanesError('LANES_USAGE', `--set expects KEY=VALUE with KEY a variable name, got "${pair}"`, 'user');
    }
    env[name] = pair.slice(at + 1);
  }
  return env;
}

/** A command line given on the command line: a JSON argv array, or words split on whitespace. */
export function parseCommandLine(text: string): string[] {
  if (text.trim().startsWith('[')) {
    let argv: unknown;
    try {
      argv = JSON.parse(text);
    } catch (error) {
      throw new LanesError('LANES_USAGE', `--command looks like JSON but is not: ${(error as Error).message}`, 'user');
    }
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
      throw new LanesError('LANES_USAGE', '--command as JSON must be a non-empty array of strings', 'user');
    }
    return argv as string[];
  }
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new LanesError('LANES_USAGE', '--command is empty', 'user');
  return words;
}
