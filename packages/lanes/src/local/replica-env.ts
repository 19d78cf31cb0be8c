import type { RunSpec } from '../model.js';

/**
 * The only variables a replica takes from the process that starts it. A replica must run the same whether a
 * terminal, a CI job or the supervisor started it, so nothing else of the CLI's environment leaks in: not its
 * credentials (`AWS_*`, tokens), not `npm_*`, and not `NODE_OPTIONS`, which a debugger or test runner fills with
 * `--require`/`--import` hooks meant for the CLI alone. A service that needs more declares it in `run.env`.
 */
export const INHERITED_ENV_NAMES = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

/**
 * The complete environment of a replica, later entries winning: the inherited names, `run.env`, `extraEnv` (what
 * the platform adds, such as the lane's name), and last the port, so no setting can point the replica at a port
 * other than the one recorded for it.
 */
export function replicaEnv(
  run: Pick<RunSpec, 'env' | 'portEnv'>,
  port: number,
  extraEnv: Readonly<Record<string, string>> = {},
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of INHERITED_ENV_NAMES) {
    const value = parentEnv[name];
    if (value !== undefined) inherited[name] = value;
  }
  return { ...inherited, ...run.env, ...extraEnv, [run.portEnv]: String(port) };
}
