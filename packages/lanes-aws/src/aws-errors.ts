import { LanesError } from '@lanes/core';
import { AWS_ERROR_CODES, type AwsErrorCode } from './errors.js';

/** Where a failed call went, so the message can say it: `CloudFormation (https://cloudformation.eu-west-1.amazonaws.com)`. */
export interface AwsCallSite {
  service: string;
  endpoint: string | undefined;
}

// Error names the AWS APIs and the SDK use for each problem. STS/most Query APIs say ExpiredToken, JSON APIs
// ExpiredTokenException; https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html
const REFUSED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
  'RequestExpired',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'NotAuthorized']);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const QUOTA = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);
/** Node's socket errors and the SDK's timeouts: the endpoint did not answer (after the SDK's retries). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

function nameOf(error: Error): string {
  const code = (error as { Code?: unknown }).Code;
  return typeof code === 'string' && error.name === 'Error' ? code : error.name;
}

function attemptsOf(error: Error): number | undefined {
  return (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
}

/** The IAM action an AccessDenied message names (`... is not authorized to perform: cloudformation:CreateChangeSet on ...`). */
export function deniedAction(message: string): string | undefined {
  return /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Turns an error of an AWS call into what the user can act on: a `LanesError` with fault `user` and one line that
 * says what is wrong and what to do, for missing credentials or region, refused tokens, denied access, throttling
 * that outlasted the retries, quotas and an endpoint that does not answer. Anything else (a bug, an unexpected AWS
 * answer) is returned unchanged, as are errors that already are `LanesError`s.
 */
export function toLanesError(error: unknown, site: AwsCallSite): unknown {
  if (!(error instanceof Error) || error instanceof LanesError) return error;
  const name = nameOf(error);
  const where = site.endpoint ? `${site.service} (${site.endpoint})` : site.service;
  const said = oneLine(error.message);
  const user = (code: AwsErrorCode, message: string) => new LanesError(code, message, 'user', { cause: error });
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(said)) {
    return user(
      AWS_ERROR_CODES.credentialsMissing,
      'no AWS credentials found: set AWS_PROFILE (then aws sso login if it is an SSO profile) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as for the AWS CLI',
    );
  }
  if (/Region is missing/i.test(said)) {
    return user(
      AWS_ERROR_CODES.regionMissing,
      "no AWS region: pass --region, or set AWS_REGION or the profile's region",
    );
  }
  if (REFUSED.has(name)) {
    return user(
      AWS_ERROR_CODES.credentialsRefused,
      `${where} refused the credentials (${name}: ${said}); refresh them (aws sso login, new session keys) and try again`,
    );
  }
  if (DENIED.has(name)) {
    const action = deniedAction(said);
    return user(
      AWS_ERROR_CODES.accessDenied,
      `${where} denied ${action ?? 'the request'} (${name}: ${said}); the deploying identity needs that permission (docs/aws.md, "Deploying from the command line")`,
    );
  }
  if (THROTTLED.has(name)) {
    const attempts = attemptsOf(error);
    return user(
      AWS_ERROR_CODES.throttled,
      `${where} kept throttling the requests${attempts ? ` after ${attempts} attempts` : ''} (${name}); wait a minute and try again`,
    );
  }
  if (QUOTA.has(name)) {
    return user(
      AWS_ERROR_CODES.quota,
      `an AWS quota was reached at ${where} (${name}: ${said}); free some (lanes gc) or request an increase in Service Quotas`,
    );
  }
  const errno = (error as NodeJS.ErrnoException).code;
  if (name === 'TimeoutError' || (typeof errno === 'string' && UNREACHABLE.has(errno))) {
    const attempts = attemptsOf(error);
    return user(
      AWS_ERROR_CODES.unreachable,
      `no answer from ${where}${attempts ? ` after ${attempts} attempts` : ''} (${errno ?? name}); check the network, proxy and region`,
    );
  }
  return error;
}

/** The endpoint a client calls, for messages: its configured one, or AWS's regional one; undefined when unknown. */
export async function endpointOf(
  client: {
    config: {
      endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number | undefined; path: string }>;
      region: () => Promise<string>;
    };
  },
  service: string,
): Promise<string | undefined> {
  try {
    const custom = await client.config.endpoint?.();
    if (custom)
      return `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}${custom.path === '/' ? '' : custom.path}`;
    const prefix = service === 'CodePipeline' ? 'codepipeline' : service === 'S3' ? 's3' : 'cloudformation';
    return `https://${prefix}.${await client.config.region()}.amazonaws.com`;
  } catch {
    return undefined;
  }
}
