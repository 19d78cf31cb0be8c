import { MAX_TEMPLATE_BODY_BYTES } from '../deploy/template-upload.js';

/** Something `lanes synth` wrote that works, but not everywhere: the CLI shows it, `--json` carries it. */
export interface SynthWarning {
  code: 'TEMPLATE_OVER_INLINE_LIMIT';
  /** The file, relative to the output folder. */
  file: string;
  bytes: number;
  message: string;
}

/**
 * Templates over CloudFormation's 51,200-byte `TemplateBody` limit. The pipelines read templates from their S3
 * artifacts (no such limit), so only direct deploys are affected: say which, and what they need.
 */
export function templateSizeWarnings(files: ReadonlyMap<string, string>): SynthWarning[] {
  const warnings: SynthWarning[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith('.template.json')) continue;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= MAX_TEMPLATE_BODY_BYTES) continue;
    warnings.push({
      code: 'TEMPLATE_OVER_INLINE_LIMIT',
      file,
      bytes,
      message:
        `${file} is ${bytes} bytes, over CloudFormation's ${MAX_TEMPLATE_BODY_BYTES}-byte limit for a template sent inline. ` +
        'The pipelines are not affected (they read templates from S3). To deploy it yourself, use ' +
        '`aws cloudformation deploy --s3-bucket <bucket>`; `lanes deploy --provider aws` uploads it to the template ' +
        'bucket of the infra stack (docs/aws.md, "Large templates").',
    });
  }
  return warnings;
}
