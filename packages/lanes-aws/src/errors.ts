/**
 * Every code a `LanesError` of the AWS provider carries, with what it means: the AWS-side problems the user can fix
 * (one line and exit 2) and the synthesis and deploy checks. The provider throws `LanesError`s like the rest of
 * lanes; its codes are prefixed `AWS_` so a script can tell where one came from. A new code is added here first.
 */
export const AWS_ERROR_CODES = {
  /** No lane carrier the ALB can match is configured. */
  noCarrier: 'AWS_NO_CARRIER',
  /** The project does not fit AWS's limits (every problem listed). */
  synthChecks: 'AWS_SYNTH_CHECKS',
  /** More listener rules than the ALB quota allows. */
  albQuota: 'AWS_ALB_QUOTA',
  /** A listener rule would hold more conditions than the ALB allows. */
  albRuleLimit: 'AWS_ALB_RULE_LIMIT',
  /** The admission policy cannot be expressed in ALB listener rules. */
  admissionAlb: 'AWS_ADMISSION_ALB',
  /** Two services claim the same listener-rule priorities. */
  rulePriorityCollision: 'AWS_RULE_PRIORITY_COLLISION',
  /** A stack parameter exceeds its CloudFormation size limit. */
  parameterTooLarge: 'AWS_PARAMETER_TOO_LARGE',
  /** A template is not JSON. */
  templateNotJson: 'AWS_TEMPLATE_NOT_JSON',
  /** The app template has no container definition. */
  templateNoContainer: 'AWS_TEMPLATE_NO_CONTAINER',
  /** A template exceeds what CloudFormation accepts. */
  templateTooLarge: 'AWS_TEMPLATE_TOO_LARGE',
  /** A large template needs the template bucket, which the boot stack does not export. */
  templateBucketMissing: 'AWS_TEMPLATE_BUCKET_MISSING',
  /** The template could not be uploaded. */
  templateUploadFailed: 'AWS_TEMPLATE_UPLOAD_FAILED',
  /** The AWS stack belongs to another env than the project's. */
  envMismatch: 'AWS_ENV_MISMATCH',
  /** The branch name is not one the pipeline accepts. */
  branchInvalid: 'AWS_BRANCH_INVALID',
  /** A stack did not settle in time. */
  timeout: 'AWS_TIMEOUT',
  /** A stack operation was interrupted (Ctrl-C) and left in progress. */
  interrupted: 'AWS_INTERRUPTED',
  /** No AWS credentials found. */
  credentialsMissing: 'AWS_CREDENTIALS_MISSING',
  /** No AWS region given or configured. */
  regionMissing: 'AWS_REGION_MISSING',
  /** AWS refused the credentials (expired or invalid). */
  credentialsRefused: 'AWS_CREDENTIALS_REFUSED',
  /** The deploying identity lacks a permission. */
  accessDenied: 'AWS_ACCESS_DENIED',
  /** AWS kept throttling the requests. */
  throttled: 'AWS_THROTTLED',
  /** An AWS quota was reached. */
  quota: 'AWS_QUOTA',
  /** The AWS endpoint did not answer. */
  unreachable: 'AWS_UNREACHABLE',
} as const;
export type AwsErrorCode = (typeof AWS_ERROR_CODES)[keyof typeof AWS_ERROR_CODES];

// `LanesError` takes these codes once this module is part of the program (its `code` field names them too).
declare module '@lanes/core' {
  interface ProviderErrorCodes {
    aws: AwsErrorCode;
  }
}
