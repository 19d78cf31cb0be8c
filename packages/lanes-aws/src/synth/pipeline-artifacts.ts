import { Aws, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { suppress } from './nag.js';
import { doc } from './pipeline-iam.js';

/** A pipeline's artifact store: a KMS key with rotation and a private, TLS-only bucket whose objects expire. */
export interface ArtifactStore {
  key: kms.CfnKey;
  bucket: s3.CfnBucket;
}

export function artifactStore(scope: Construct): ArtifactStore {
  const key = new kms.CfnKey(scope, 'ArtifactKey', {
    enableKeyRotation: true,
    description: 'Lanes pipeline artifacts',
    keyPolicy: doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root` },
      Action: 'kms:*',
      Resource: '*',
    }),
  });
  const bucket = new s3.CfnBucket(scope, 'ArtifactBucket', {
    bucketEncryption: {
      serverSideEncryptionConfiguration: [
        { serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } },
      ],
    },
    publicAccessBlockConfiguration: {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] },
  });
  suppress(bucket, 'AwsSolutions-S1', 'Pipeline artifacts expire after 30 days; CloudTrail records who read them.');
  new s3.CfnBucketPolicy(scope, 'ArtifactBucketPolicy', {
    bucket: bucket.ref,
    policyDocument: doc({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket.attrArn, `${bucket.attrArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  });
  return { key, bucket };
}
