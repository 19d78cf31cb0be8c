import { AWS_NAME_FORMS } from '@lanes/core';

/**
 * The layer stacks' names and exports, from `AWS_NAME_FORMS` (`@lanes/core` naming). `env` and `service` may be CDK
 * tokens (a template parameter): the forms only concatenate, so they become `Fn::Join` in a generic template.
 */

export const infraStackName = (env: string): string => AWS_NAME_FORMS.infraStack(env);
export const bootStackName = (service: string, env: string): string => AWS_NAME_FORMS.bootStack(env, service);

/** What the infra stack exports, as `infra-environment-{env}-{key}`. */
export const INFRA_EXPORTS = [
  'VpcId',
  'PublicSubnetIds',
  'PrivateSubnetIds',
  'ClusterName',
  'ClusterArn',
  'NamespaceId',
  'NamespaceName',
  /** Where the deploy provider uploads templates over 51,200 bytes (`TemplateURL`). */
  'TemplateBucketName',
  /** Every lane task of the env is a member; each service admits it on its container port (east-west traffic). */
  'ServicesSecurityGroupId',
] as const;
export type InfraExport = (typeof INFRA_EXPORTS)[number];

/** What the boot stack exports, as `boot-{service}--{env}-{key}` (plus `-{service}-service-arn`). */
export const BOOT_EXPORTS = [
  'LoadBalancerArn',
  'LoadBalancerFullName',
  'LoadBalancerDnsName',
  'HttpListenerArn',
  /** The listener that holds the default action and the lane rules: HTTPS with a certificate, else HTTP. */
  'ListenerArn',
  'LogGroupName',
  'DefaultTargetGroupArn',
  'DefaultTargetGroupFullName',
  'ServiceSecurityGroupId',
  'TaskExecutionRoleArn',
  'TaskRoleArn',
  'RepositoryUri',
  'RepositoryArn',
] as const;
export type BootExport = (typeof BOOT_EXPORTS)[number];

export const infraExportName = (env: string, key: InfraExport): string => AWS_NAME_FORMS.infraExport(env, key);
export const bootExportName = (service: string, env: string, key: BootExport): string =>
  AWS_NAME_FORMS.bootExport(env, service, key);
/** The seed's Cloud Map export: `boot-{service}--{env}-{service}-service-arn`. */
export const bootServiceArnExportName = (service: string, env: string): string =>
  AWS_NAME_FORMS.serviceArnExport(env, service);
