import { CfnDeletionPolicy, aws_s3 as s3 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { suppress } from './nag.js';

/** Days a template uploaded for a change set stays: CloudFormation reads it once, when it creates the change set. */
export const TEMPLATE_OBJECT_DAYS = 7;

/**
 * The env's bucket for app templates over CloudFormation's 51,200-byte inline limit (export
 * `infra-environment-{env}-TemplateBucketName`): the deploy provider uploads them there and passes `TemplateURL`.
 * Private, TLS only, SSE-S3, objects expire. Kept when the infra stack is deleted, since it may still hold objects.
 */
export function templateBucket(scope: Construct): s3.CfnBucket {
  const bucket = new s3.CfnBucket(scope, 'TemplateBucket', {
    bucketEncryption: {
      serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    },
    publicAccessBlockConfiguration: {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
    lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: TEMPLATE_OBJECT_DAYS }] },
  });
  bucket.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
  bucket.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
  suppress(
    bucket,
    'AwsSolutions-S1',
    'Holds only CloudFormation templates for a few days; CloudTrail records who wrote and read them.',
  );
  new s3.CfnBucketPolicy(scope, 'TemplateBucketPolicy', {
    bucket: bucket.ref,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket.attrArn, `${bucket.attrArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  });
  return bucket;
}
