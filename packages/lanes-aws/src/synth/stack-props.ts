import { MAX_DNS_LABEL_LENGTH, MAX_ENV_LENGTH, MAX_SERVICE_LENGTH } from '@lanes/core';
import { BootstraplessSynthesizer, type CfnParameterProps, type IStackSynthesizer, type StackProps } from 'aws-cdk-lib';

/**
 * A part of AWS names as `naming.ts` allows it: a lowercase DNS label without `--`, which separates the parts of
 * every joined name (`app-{service}--{env}--{lane}`). Lengths are the parameters' `MaxLength`.
 */
const NAME_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
const NAME_RULE =
  'lowercase letters, digits and single "-" between them (no "--": it separates the parts of AWS names)';
export const ENV_PATTERN = NAME_PATTERN;
export const SERVICE_PATTERN = NAME_PATTERN;
export const LANE_PATTERN = NAME_PATTERN;

const nameParameter = (maxLength: number, what: string): CfnParameterProps => ({
  type: 'String',
  allowedPattern: NAME_PATTERN,
  maxLength,
  constraintDescription: `${what}: ${NAME_RULE}, at most ${maxLength} characters`,
});
/** The `Env` parameter of every template. */
export const ENV_PARAMETER = nameParameter(MAX_ENV_LENGTH, 'env');
/** `ServiceName` (`serviceNameProblem` checks the same). */
export const SERVICE_PARAMETER = nameParameter(MAX_SERVICE_LENGTH, 'service');
/** `Lane`; `laneNameProblem` narrows it per service. */
export const LANE_PARAMETER = nameParameter(MAX_DNS_LABEL_LENGTH, 'lane');

/**
 * Plain CloudFormation: no bootstrap stack, no assets, no version rule, no CDK metadata resource. The bootstrapless
 * synthesizer fails synthesis if a construct ever adds an asset, which is the guarantee an infra repo needs.
 */
export function templateStackProps(description: string): StackProps {
  // An upcast only exactOptionalPropertyTypes needs: aws-cdk-lib's StackSynthesizer declares
  // `get bootstrapQualifier(): string | undefined` while the IStackSynthesizer it implements says
  // `bootstrapQualifier?: string`, so no CDK synthesizer is an IStackSynthesizer under that flag.
  const synthesizer = new BootstraplessSynthesizer() as IStackSynthesizer;
  return { synthesizer, analyticsReporting: false, description };
}
