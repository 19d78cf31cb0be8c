/**
 * The seed's stack and export names. `env` and `service` may be CDK tokens (a template parameter): the names are
 * built by concatenation, so they become `Fn::Join` in a generic template.
 */

export const infraStackName = (env: string): string => `infra-environment-${env}`;
export const bootStackName = (service: string, env: string): string => `boot-${service}-${env}`;

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

/** What the boot stack exports, as `boot-{service}-{env}-{key}` (plus `-{service}-service-arn`). */
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

export const infraExportName = (env: string, key: InfraExport): string => `${infraStackName(env)}-${key}`;
export const bootExportName = (service: string, env: string, key: BootExport): string =>
  `${bootStackName(service, env)}-${key}`;
/** The seed's Cloud Map export: `boot-{service}-{env}-{service}-service-arn`. */
export const bootServiceArnExportName = (service: string, env: string): string =>
  `${bootStackName(service, env)}-${service}-service-arn`;
