import { BootstraplessSynthesizer, type StackProps } from 'aws-cdk-lib';

/** Env names as `naming.ts` allows them (lowercase DNS label, at most 16 characters). */
export const ENV_PATTERN = '^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$';
/** Service names as `naming.ts` allows them (lowercase DNS label). */
export const SERVICE_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
/** Lane names (lowercase DNS label). */
export const LANE_PATTERN = SERVICE_PATTERN;

/**
 * Plain CloudFormation: no bootstrap stack, no assets, no version rule, no CDK metadata resource. The bootstrapless
 * synthesizer fails synthesis if a construct ever adds an asset, which is the guarantee an infra repo needs.
 */
export function templateStackProps(description: string): StackProps {
  return { synthesizer: new BootstraplessSynthesizer(), analyticsReporting: false, description };
}
