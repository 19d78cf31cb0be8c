import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The authoritative data the IAM proof reads (see data/README.md): CloudFormation's resource handler permissions
 * and AWS's Service Authorization Reference (which resource types each action is authorized on), plus the few
 * documented facts neither file carries, each with the AWS page it comes from.
 */

const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');

export type Operation = 'create' | 'read' | 'update' | 'delete';

export interface ResourceTypeData {
  taggable: boolean;
  tagOnCreate: boolean;
  handlers: Partial<Record<Operation, string[]>>;
}

interface SarService {
  Actions: Record<string, { Resources?: string[] }>;
  Resources: Record<string, { ARNFormats: string[] }>;
}

export interface ReferenceData {
  handlersSource: string;
  sarSource: string;
  types: Record<string, ResourceTypeData>;
  services: Record<string, SarService>;
}

let cached: ReferenceData | undefined;

export function referenceData(): ReferenceData {
  if (cached) return cached;
  const handlers = JSON.parse(readFileSync(join(dataDir, 'cfn-handlers.json'), 'utf8'));
  const sar = JSON.parse(readFileSync(join(dataDir, 'service-authorization.json'), 'utf8'));
  cached = { handlersSource: handlers.source, sarSource: sar.source, types: handlers.types, services: sar.services };
  return cached;
}

export type ActionInfo =
  | { type: 'unknown' }
  /** The action's resource types (`service/type`); empty: the action supports no resource-level permissions. */
  | { type: 'known'; resourceTypes: string[] };

/** What the Service Authorization Reference says about `service:Action`. */
export function actionInfo(action: string, data = referenceData()): ActionInfo {
  const [service, name] = action.split(':') as [string, string | undefined];
  const entry = data.services[service.toLowerCase()]?.Actions[(name ?? '').toLowerCase()];
  if (!entry) return { type: 'unknown' };
  return { type: 'known', resourceTypes: (entry.Resources ?? []).map((r) => `${service.toLowerCase()}/${r}`) };
}

/** Whether `arn` has the ARN format of the resource type `service/type`. */
export function arnHasType(arn: string, resourceType: string, data = referenceData()): boolean {
  const [service, ...rest] = resourceType.split('/');
  const formats = data.services[service as string]?.Resources[rest.join('/')]?.ARNFormats ?? [];
  const placeholders: Record<string, string> = { Partition: 'aws[a-z-]*', Region: '[a-z0-9-]*', Account: '[0-9]*' };
  return formats.some((format) =>
    new RegExp(
      `^${format.replace(/\$\{(Partition|Region|Account)\}/g, (_m, name: string) => placeholders[name] ?? '')}$`,
    ).test(arn),
  );
}

/**
 * Handler permissions that apply only when the resource sets one of the named properties (searched anywhere in its
 * `Properties`, so a property under `Fn::If` counts as set). The proof checks each template: a resource that sets
 * the property makes the permission required again.
 */
export const PROPERTY_SCOPED: { type: string; actions: string[]; properties: string[]; why: string }[] = [
  {
    type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    actions: ['cognito-idp:DescribeUserPoolClient'],
    properties: ['AuthenticateCognitoConfig'],
    why: 'reads the user pool client of an authenticate-cognito action',
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    actions: ['cognito-idp:DescribeUserPoolClient'],
    properties: ['AuthenticateCognitoConfig'],
    why: 'reads the user pool client of an authenticate-cognito action',
  },
  {
    type: 'AWS::ECS::Service',
    actions: ['iam:PassRole'],
    properties: ['Role'],
    why: 'passes the load balancer role given in Role (awsvpc services use the ECS service-linked role instead)',
  },
  {
    type: 'AWS::ECS::Cluster',
    actions: ['kms:DescribeKey'],
    properties: ['Configuration'],
    why: 'describes the KMS keys of ExecuteCommandConfiguration/ManagedStorageConfiguration',
  },
  {
    type: 'AWS::ECR::Repository',
    actions: ['kms:DescribeKey', 'kms:CreateGrant', 'kms:RetireGrant'],
    properties: ['EncryptionConfiguration'],
    why: 'grants ECR use of a customer managed KMS key',
  },
  {
    type: 'AWS::Logs::LogGroup',
    actions: ['firehose:TagDeliveryStream', 'logs:CreateLogDelivery'],
    properties: ['DataProtectionPolicy'],
    why: 'delivers data protection audit findings to Firehose/S3',
  },
  {
    type: 'AWS::S3::Bucket',
    actions: ['iam:PassRole', 's3:PutReplicationConfiguration', 's3:PutBucketReplication'],
    properties: ['ReplicationConfiguration'],
    why: 'passes the replication role',
  },
  {
    type: 'AWS::S3::Bucket',
    actions: [
      's3tables:CreateNamespace',
      's3tables:CreateTable',
      's3tables:CreateTableBucket',
      's3tables:GetTable',
      's3tables:PutTableEncryption',
      's3tables:PutTablePolicy',
      's3tables:GetTableMetadataLocation',
      's3tables:UpdateTableMetadataLocation',
      's3:CreateBucketMetadataTableConfiguration',
      's3:DeleteBucketMetadataTableConfiguration',
      's3:UpdateBucketMetadataJournalTableConfiguration',
      's3:UpdateBucketMetadataInventoryTableConfiguration',
    ],
    properties: ['MetadataTableConfiguration', 'MetadataConfiguration'],
    why: 'creates the S3 Tables of a metadata configuration',
  },
];

/**
 * Calls the services make with the deploying principal's permissions that the handler lists leave out: creating
 * the service-linked role the first time in an account. Each names its AWS documentation.
 */
export const SERVICE_LINKED_ROLES: {
  type: string;
  operation: Operation;
  serviceName: string;
  role: string;
  doc: string;
}[] = [
  {
    // "Elastic Load Balancing creates this role for you when you create a load balancer or a target group."
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    operation: 'create',
    serviceName: 'elasticloadbalancing.amazonaws.com',
    role: 'AWSServiceRoleForElasticLoadBalancing',
    doc: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html',
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    operation: 'create',
    serviceName: 'elasticloadbalancing.amazonaws.com',
    role: 'AWSServiceRoleForElasticLoadBalancing',
    doc: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html',
  },
  {
    // "When you call the CreateCluster API operation, Amazon ECS attempts to create the Amazon ECS service-linked role."
    type: 'AWS::ECS::Cluster',
    operation: 'create',
    serviceName: 'ecs.amazonaws.com',
    role: 'AWSServiceRoleForECS',
    doc: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html',
  },
];

/** The service principal whose service-linked role a handler's `iam:CreateServiceLinkedRole` creates. */
export function serviceLinkedRoleFor(type: string): (typeof SERVICE_LINKED_ROLES)[number] | undefined {
  return SERVICE_LINKED_ROLES.find((s) => s.type === type);
}
