import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
  ListExportsCommand,
} from '@aws-sdk/client-cloudformation';
import type { LanesEvent } from '@lanes/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_BODY_BYTES, objectUrl, type TemplateUploader } from './template-upload.js';
import {
  CS_ID,
  changeSetsSucceed,
  fakeClock,
  GRAY,
  providerFor,
  shopProject,
  stackArn,
  stackMissing,
  stackOf,
} from './test-fixtures.js';

// @aws-sdk/client-s3 is not a dependency yet: the uploader is the seam, stubbed here; CloudFormation is mocked at
// the SDK's edge as in aws-lane-provider.test.ts.
const cfn = mockClient(CloudFormationClient);

const NAME = 'app-shop--dev--gray';
const ID = stackArn(NAME, '1111');
const BUCKET = 'infra-environment-dev-templatebucket-abc123';
const EXPORT = 'infra-environment-dev-TemplateBucketName';

/** A JSON template of exactly `bytes` UTF-8 bytes, padded with `pad` (a 2-byte character makes bytes > characters). */
function templateOf(bytes: number, pad = 'x'): string {
  const base = JSON.stringify({ Parameters: { ImageUri: {} }, Resources: {}, Metadata: { Pad: '' } });
  const room = bytes - Buffer.byteLength(base, 'utf8');
  const unit = Buffer.byteLength(pad, 'utf8');
  const text = pad.repeat(Math.floor(room / unit)) + 'x'.repeat(room % unit);
  const out = base.replace('"Pad":""', `"Pad":"${text}"`);
  expect(Buffer.byteLength(out, 'utf8')).toBe(bytes);
  return out;
}

let events: LanesEvent[];
let log: string[];

const provider = (template: string, uploader?: TemplateUploader, bucket?: string) =>
  providerFor(shopProject(), { app: () => template }, fakeClock(Date.UTC(2025, 0, 1)), {
    events,
    ...(uploader ? { templateUpload: { uploader, ...(bucket ? { bucket } : {}) } } : {}),
  });

function recordingUploader(fail?: Error): TemplateUploader & { puts: unknown[] } {
  const puts: unknown[] = [];
  return {
    puts,
    putObject: async (input) => {
      log.push('put');
      puts.push(input);
      if (fail) throw fail;
    },
  };
}

beforeEach(() => {
  cfn.reset();
  events = [];
  log = [];
  // A new lane that deploys cleanly once its change set exists.
  cfn.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissing(NAME, {}));
  changeSetsSucceed(
    cfn,
    () => {
      log.push('create');
      return { Id: CS_ID, StackId: ID };
    },
    { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: [] },
  );
  cfn.on(DescribeStacksCommand, { StackName: ID }).resolves({ Stacks: [stackOf(NAME, ID, 'CREATE_COMPLETE')] });
});

const createInput = () => cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;

describe('templates over the 51,200-byte inline limit', () => {
  it('uploads a large template to the bucket of the infra export, then creates the change set by TemplateURL', async () => {
    const template = templateOf(MAX_TEMPLATE_BODY_BYTES + 1);
    const uploader = recordingUploader();
    cfn
      .on(ListExportsCommand)
      .resolvesOnce({ Exports: [{ Name: 'other', Value: 'x' }], NextToken: 'p2' })
      .resolves({ Exports: [{ Name: EXPORT, Value: BUCKET }] });

    const result = await provider(template, uploader).deploy(GRAY, { imageUri: 'img:1' });

    expect(result.type).toBe('deployed');
    expect(log).toEqual(['put', 'create']);
    const put = uploader.puts[0] as { Bucket: string; Key: string; Body: string; ContentType: string };
    expect(put).toMatchObject({ Bucket: BUCKET, Body: template, ContentType: 'application/json' });
    expect(put.Key).toMatch(new RegExp(`^lanes/templates/${NAME}/[0-9a-f]{32}\\.template\\.json$`));
    expect(createInput()?.TemplateURL).toBe(`https://${BUCKET}.s3.eu-west-1.amazonaws.com/${put.Key}`);
    expect(createInput()).not.toHaveProperty('TemplateBody');
    expect(cfn.commandCalls(ListExportsCommand)[1]?.args[0].input).toEqual({ NextToken: 'p2' });
    const created = events.find((e) => e.code === 'CHANGE_SET_CREATED');
    expect(created?.data?.templateUrl).toBe(createInput()?.TemplateURL);
  });

  it('counts UTF-8 bytes, not characters: 2-byte characters push a short template over the limit', async () => {
    const template = templateOf(MAX_TEMPLATE_BODY_BYTES + 2, 'é');
    expect(template.length).toBeLessThan(MAX_TEMPLATE_BODY_BYTES);
    const uploader = recordingUploader();

    await provider(template, uploader, BUCKET).deploy(GRAY, { imageUri: 'img:1' });

    expect(uploader.puts).toHaveLength(1);
    expect(createInput()?.TemplateURL).toContain(BUCKET);
    // A bucket given to the provider is used as is: no export lookup.
    expect(cfn.commandCalls(ListExportsCommand)).toHaveLength(0);
  });

  it('sends a template of exactly 51,200 bytes inline, without touching S3', async () => {
    const template = templateOf(MAX_TEMPLATE_BODY_BYTES);
    const uploader = recordingUploader();

    await provider(template, uploader).deploy(GRAY, { imageUri: 'img:1' });

    expect(createInput()?.TemplateBody).toBe(template);
    expect(createInput()).not.toHaveProperty('TemplateURL');
    expect(uploader.puts).toHaveLength(0);
    expect(cfn.commandCalls(ListExportsCommand)).toHaveLength(0);
  });

  it('fails clearly and creates no change set when the upload fails', async () => {
    const uploader = recordingUploader(new Error('Access Denied'));

    await expect(
      provider(templateOf(60_000), uploader, BUCKET).deploy(GRAY, { imageUri: 'img:1' }),
    ).rejects.toMatchObject({
      code: 'AWS_TEMPLATE_UPLOAD_FAILED',
      message: expect.stringMatching(
        new RegExp(`60000 bytes.*s3://${BUCKET}/lanes/templates/${NAME}/.*no change set was created: Access Denied`),
      ),
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('says what to do when there is no uploader, or no bucket export, before any change set', async () => {
    await expect(provider(templateOf(60_000)).deploy(GRAY, { imageUri: 'img:1' })).rejects.toMatchObject({
      code: 'AWS_TEMPLATE_TOO_LARGE',
      message: expect.stringContaining('no S3 uploader'),
    });
    cfn.on(ListExportsCommand).resolves({ Exports: [] });
    const uploader = recordingUploader();
    await expect(provider(templateOf(60_000), uploader).deploy(GRAY, { imageUri: 'img:1' })).rejects.toMatchObject({
      code: 'AWS_TEMPLATE_BUCKET_MISSING',
      message: expect.stringContaining(EXPORT),
    });
    expect(uploader.puts).toHaveLength(0);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('builds the URL for the region, including China', () => {
    expect(objectUrl('b', 'k/t.json', 'us-east-1')).toBe('https://b.s3.us-east-1.amazonaws.com/k/t.json');
    expect(objectUrl('b', 'k/t.json', 'cn-north-1')).toBe('https://b.s3.cn-north-1.amazonaws.com.cn/k/t.json');
  });
});
