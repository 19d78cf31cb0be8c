import { LanesError } from '../errors.js';
import type { ProjectSession } from '../open-project.js';
import type { LaneProvider } from './lane-provider.js';
import { LocalLaneProvider } from './local-provider.js';

/** What opening a provider may need beyond the project. */
export interface ProviderOpenOptions {
  /** The cloud region, for providers that run in one. @default the provider's own default (AWS: the SDK's chain) */
  region?: string;
}

/** Builds a provider for an open project. */
export type LaneProviderFactory = (session: ProjectSession, options: ProviderOpenOptions) => Promise<LaneProvider>;

/**
 * Loads a provider's factory on demand: a provider in another package (`@lanes/aws` pulls in aws-cdk-lib and the
 * AWS SDK) is imported only when it is used, and may be missing when it is an optional dependency.
 */
export type ProviderLoader = () => Promise<LaneProviderFactory>;

export const localProviderFactory: LaneProviderFactory = async (session) => new LocalLaneProvider(session);

/** The built-in providers; others (aws) are added by the caller, which knows where they live. */
export const BUILTIN_PROVIDERS: Readonly<Record<string, ProviderLoader>> = {
  local: async () => localProviderFactory,
};

/** Opens the provider named `name` (a user's `--provider`); an unknown name is a user error listing the known ones. */
export async function openLaneProvider(
  name: string,
  session: ProjectSession,
  options: ProviderOpenOptions = {},
  loaders: Readonly<Record<string, ProviderLoader>> = BUILTIN_PROVIDERS,
): Promise<LaneProvider> {
  const all = { ...BUILTIN_PROVIDERS, ...loaders };
  const load = Object.hasOwn(all, name) ? all[name] : undefined;
  if (!load) {
    throw new LanesError(
      'LANES_UNKNOWN_PROVIDER',
      `--provider must be one of ${Object.keys(all).join(', ')}, got "${name}"`,
      'user',
    );
  }
  const factory = await load();
  return factory(session, options);
}
