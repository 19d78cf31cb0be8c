import { createHash } from 'node:crypto';
import { ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { LanesError } from '@lanes/core';
import { toLanesError } from '../aws-errors.js';
import { infraExportName } from '../synth/exports.js';
import { type AwsContext, callOptions } from './context.js';

/** CloudFormation's limit on a template sent inline as `TemplateBody`, in bytes; larger ones must come from S3. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/**
 * Puts one object into S3: S3's PutObject input, so `@aws-sdk/client-s3` fits as
 * `{ putObject: (input) => s3.send(new PutObjectCommand(input)) }`.
 */
export interface TemplateUploader {
  putObject(input: { Bucket: string; Key: string; Body: string; ContentType: string }): Promise<unknown>;
}

/** Where templates over the inline limit go. */
export interface TemplateUploadOptions {
  uploader: TemplateUploader;
  /** The bucket. @default the infra stack's export `infra-environment-{env}-TemplateBucketName` */
  bucket?: string;
}

/** How a change set gets its template: inline, or the URL of the uploaded copy. */
export type TemplateSource = { TemplateBody: string } | { TemplateURL: string };

/**
 * The template as CreateChangeSet takes it: inline up to 51,200 bytes (UTF-8, as CloudFormation counts), else
 * uploaded to the template bucket under a content-addressed key and passed by URL. Fails with a `LanesError` before
 * any change set exists when the template is too large and cannot be uploaded.
 */
export async function templateSource(ctx: AwsContext, stack: string, template: string): Promise<TemplateSource> {
  const bytes = Buffer.byteLength(template, 'utf8');
  if (bytes <= MAX_TEMPLATE_BODY_BYTES) return { TemplateBody: template };
  const tooLarge = `the template of ${stack} is ${bytes} bytes, over CloudFormation's ${MAX_TEMPLATE_BODY_BYTES}-byte limit for a template sent inline`;
  if (!ctx.templateUpload) {
    throw new LanesError(
      'AWS_TEMPLATE_TOO_LARGE',
      `${tooLarge}, and this provider has no S3 uploader for it; give AwsLaneProvider a templateUpload (docs/aws.md, "Large templates")`,
      'user',
    );
  }
  const bucket = ctx.templateUpload.bucket ?? (await templateBucketFromExport(ctx, tooLarge));
  const digest = createHash('sha256').update(template).digest('hex').slice(0, 32);
  const key = `lanes/templates/${stack}/${digest}.template.json`;
  try {
    await ctx.templateUpload.uploader.putObject({
      Bucket: bucket,
      Key: key,
      Body: template,
      ContentType: 'application/json',
    });
  } catch (error) {
    // Credentials, access and network problems are the user's to fix: one line, as for any other AWS call.
    const mapped = toLanesError(error, { service: 'S3', endpoint: undefined });
    if (mapped instanceof LanesError) throw mapped;
    throw new LanesError(
      'AWS_TEMPLATE_UPLOAD_FAILED',
      `${tooLarge}; uploading it to s3://${bucket}/${key} failed, so no change set was created: ${(error as Error).message}. The deploying identity needs s3:PutObject and s3:GetObject on that bucket (docs/aws.md, "Large templates")`,
      'system',
    );
  }
  return { TemplateURL: objectUrl(bucket, key, await ctx.cloudformation.config.region()) };
}

/** A virtual-hosted S3 URL in the region CloudFormation runs in (the bucket is the env's, in the same region). */
export function objectUrl(bucket: string, key: string, region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${domain}/${key}`;
}

async function templateBucketFromExport(ctx: AwsContext, tooLarge: string): Promise<string> {
  const name = infraExportName(ctx.project.env, 'TemplateBucketName');
  let token: string | undefined;
  do {
    const page = await ctx.cloudformation.send(new ListExportsCommand({ NextToken: token }), callOptions(ctx));
    const found = page.Exports?.find((e) => e.Name === name)?.Value;
    if (found) return found;
    token = page.NextToken;
  } while (token);
  throw new LanesError(
    'AWS_TEMPLATE_BUCKET_MISSING',
    `${tooLarge}, and there is no export ${name} to upload it to: update the infra stack infra-environment-${ctx.project.env} (it creates the bucket) or give the provider a bucket`,
    'user',
  );
}
