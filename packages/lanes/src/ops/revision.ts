import type { DeclaredLane, RevisionSpec, RunSpec, ServiceModel } from '../model.js';

/** What `lanes deploy` may change on top of the project file, for this one revision. */
export interface RevisionOverrides {
  /** Merged over the service's (and declared lane's) environment. */
  env?: Record<string, string>;
  command?: string[];
  /** Absolute. */
  cwd?: string;
  image?: string;
  label?: string;
}

function mergeRun(base: RunSpec, over: Partial<RunSpec> | undefined): RunSpec {
  if (!over) return base;
  return {
    command: over.command ?? base.command,
    cwd: over.cwd ?? base.cwd,
    portEnv: over.portEnv ?? base.portEnv,
    env: { ...base.env, ...over.env },
  };
}

/**
 * The revision a deploy records: the service's run spec from the project file, then the declared lane's overrides,
 * then the command line's. Always from the files, never from the lane's previous revision, so a deploy is
 * reproducible from what is on disk.
 */
export function composeRevision(
  service: ServiceModel,
  declared: DeclaredLane | undefined,
  overrides: RevisionOverrides = {},
): RevisionSpec {
  const fromFiles = mergeRun(service.run, declared?.run);
  const run = mergeRun(fromFiles, {
    ...(overrides.command ? { command: overrides.command } : {}),
    ...(overrides.cwd ? { cwd: overrides.cwd } : {}),
    ...(overrides.env ? { env: overrides.env } : {}),
  });
  return { run, image: overrides.image ?? service.params.ImageUri, label: overrides.label };
}

/** Whether two revisions would run the same thing (a deploy of the same spec changes nothing). */
export function sameRevision(a: RevisionSpec, b: RevisionSpec): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(spec: RevisionSpec): unknown {
  const env = Object.fromEntries(Object.entries(spec.run.env).sort(([x], [y]) => x.localeCompare(y)));
  return { ...spec, run: { ...spec.run, env } };
}
