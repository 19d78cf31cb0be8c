import type { Unsupported } from './lane-provider.js';

/**
 * Every verb and option of the provider contract. docs/cli.md has one row per feature ("Providers"); a test reads
 * that table against each provider's `capabilities`, so the docs and the code cannot drift apart.
 */
export const PROVIDER_FEATURES = [
  'deploy',
  'deploy --set',
  'deploy --command',
  'deploy --cwd',
  'deploy --label',
  'deploy --image',
  'deploy --replicas',
  'deploy --weight',
  'deploy --ttl',
  'route',
  'promote',
  'promote --analyze',
  'promote --analyze (analysis block)',
  'rollback',
  'delete',
  'status',
  'status --service',
  'logs',
  'logs --follow',
] as const;
export type ProviderFeature = (typeof PROVIDER_FEATURES)[number];

/** `true`: the provider does it; a string: the sentence it refuses it with (why, and what to do instead). */
export type ProviderCapabilities = Readonly<Record<ProviderFeature, true | string>>;

/** The `unsupported` result for a feature, with the provider's own sentence. */
export function unsupported(
  provider: { name: string; capabilities: ProviderCapabilities },
  feature: ProviderFeature,
): Unsupported {
  const why = provider.capabilities[feature];
  const message = typeof why === 'string' ? why : `${feature} is not supported by the ${provider.name} provider`;
  return { type: 'unsupported', provider: provider.name, feature, message };
}

/** The first feature of `features` the provider refuses, as its `unsupported` result; undefined when all work. */
export function firstUnsupported(
  provider: { name: string; capabilities: ProviderCapabilities },
  features: readonly ProviderFeature[],
): Unsupported | undefined {
  const refused = features.find((feature) => provider.capabilities[feature] !== true);
  return refused === undefined ? undefined : unsupported(provider, refused);
}
