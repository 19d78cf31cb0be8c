import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LanesError } from '@lanes/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deniedAction, toLanesError } from './aws-errors.js';
import { type AwsSessionOptions, createAwsClients } from './aws-session.js';
import { AwsLaneProvider } from './deploy/aws-lane-provider.js';
import { shopProject } from './deploy/test-fixtures.js';
import { AWS_ERROR_CODES } from './errors.js';

// The SDK's real clients against a local endpoint: the errors are the ones the SDK builds from AWS's answers (and
// from its own timeouts and credential chain), and the provider maps them as it maps every call.

const project = shopProject({ services: {} });

let server: Server | undefined;
let requests = 0;

/** A CloudFormation endpoint on a free loopback port; `answer` handles each request (or never answers). */
async function endpoint(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  requests = 0;
  server = createServer((req, res) => {
    requests++;
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** AWS's Query-protocol error document, as CloudFormation sends it. */
function awsError(status: number, code: string, message: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
    );
  };
}

function provider(options: AwsSessionOptions): AwsLaneProvider {
  const { cloudformation, codepipeline } = createAwsClients(options);
  return new AwsLaneProvider({
    project,
    io: { notify: () => undefined },
    clients: { cloudformation, codepipeline },
    templates: { app: () => '{}' },
  });
}

const local = (url: string, extra: AwsSessionOptions = {}): AwsSessionOptions => ({
  region: 'eu-west-1',
  endpoint: url,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 2,
  ...extra,
});

afterEach(async () => {
  vi.unstubAllEnvs();
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

describe('a stalled endpoint', () => {
  it('fails after the request timeout and retries with a plain error naming the endpoint, instead of hanging', async () => {
    const url = await endpoint(() => undefined); // accepts, reads, never answers

    const error = await provider(local(url, { requestTimeoutMs: 150 }))
      .status('dev')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LanesError);
    expect(error).toMatchObject({ code: AWS_ERROR_CODES.unreachable, fault: 'user' });
    expect((error as Error).message).toContain(`no answer from CloudFormation (${url})`);
    expect((error as Error).message).not.toContain('\n');
    expect(requests).toBe(2); // maxAttempts: the timeout is retried once
  }, 20_000);
});

describe('AWS-side user problems become one plain line (fault user)', () => {
  const cases: [string, number, string, string, string][] = [
    [
      'ExpiredToken',
      403,
      'The security token included in the request is expired',
      AWS_ERROR_CODES.credentialsRefused,
      'refresh them',
    ],
    [
      'InvalidClientTokenId',
      403,
      'The security token included in the request is invalid.',
      AWS_ERROR_CODES.credentialsRefused,
      'refused the credentials',
    ],
    [
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided.',
      AWS_ERROR_CODES.credentialsRefused,
      'refused the credentials',
    ],
    [
      'AccessDenied',
      403,
      'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:eu-west-1:123456789012:stack/*',
      AWS_ERROR_CODES.accessDenied,
      'denied cloudformation:DescribeStacks',
    ],
    ['LimitExceededException', 400, 'Limit on the number of stacks exceeded', AWS_ERROR_CODES.quota, 'Service Quotas'],
    ['Throttling', 400, 'Rate exceeded', AWS_ERROR_CODES.throttled, 'after 2 attempts'],
  ];
  for (const [name, status, message, code, says] of cases) {
    it(`${name}`, async () => {
      const url = await endpoint(awsError(status, name, message));
      const error = await provider(local(url))
        .status('dev')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code, fault: 'user' });
      expect((error as Error).message).toContain(says);
      expect((error as Error).message).not.toContain('\n');
    }, 20_000);
  }

  it('an error the user cannot fix stays as it is (a bug is reported as one)', async () => {
    const url = await endpoint(awsError(500, 'InternalFailure', 'boom'));
    const error = await provider(local(url, { maxAttempts: 1 }))
      .status('dev')
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(LanesError);
    expect((error as Error).name).toBe('InternalFailure');
  });
});

describe("the SDK's own refusals", () => {
  const noAwsConfig = () => {
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ]) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/lanes-test/credentials');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/lanes-test/config');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  };

  it('no credentials anywhere: AWS_CREDENTIALS_MISSING', async () => {
    noAwsConfig();
    const url = await endpoint(awsError(500, 'NotReached', 'the request must not be sent'));
    const error = await provider({ region: 'eu-west-1', endpoint: url, maxAttempts: 1 })
      .status('dev')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: AWS_ERROR_CODES.credentialsMissing, fault: 'user' });
    expect(requests).toBe(0);
  }, 20_000);

  it('no region anywhere: AWS_REGION_MISSING, naming --region', async () => {
    noAwsConfig();
    const client = new CloudFormationClient({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const raw = await client.send(new DescribeStacksCommand({})).catch((e: unknown) => e);
    const mapped = toLanesError(raw, { service: 'CloudFormation', endpoint: undefined });
    expect(mapped).toMatchObject({ code: AWS_ERROR_CODES.regionMissing, fault: 'user' });
    expect((mapped as Error).message).toContain('--region');
  }, 20_000);
});

describe('deniedAction', () => {
  it('names the action of an IAM denial, or nothing', () => {
    expect(deniedAction('User: x is not authorized to perform: cloudformation:CreateChangeSet on resource: y')).toBe(
      'cloudformation:CreateChangeSet',
    );
    expect(deniedAction('Access Denied')).toBeUndefined();
  });
});
