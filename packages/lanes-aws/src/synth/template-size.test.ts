import { describe, expect, test } from 'vitest';
import { MAX_TEMPLATE_BODY_BYTES } from '../deploy/template-upload.js';
import { templateSizeWarnings } from './template-size.js';

describe('templateSizeWarnings', () => {
  test('warns for templates over 51,200 UTF-8 bytes only, and says what to do', () => {
    const files = new Map([
      ['ci/templates/small.template.json', 'x'.repeat(MAX_TEMPLATE_BODY_BYTES)],
      ['ci/templates/wide.template.json', 'é'.repeat(MAX_TEMPLATE_BODY_BYTES / 2 + 1)],
      ['ci/build.sh', 'x'.repeat(MAX_TEMPLATE_BODY_BYTES * 2)],
    ]);
    const warnings = templateSizeWarnings(files);
    expect(warnings.map((w) => [w.code, w.file, w.bytes])).toEqual([
      ['TEMPLATE_OVER_INLINE_LIMIT', 'ci/templates/wide.template.json', MAX_TEMPLATE_BODY_BYTES + 2],
    ]);
    expect(warnings[0]?.message).toMatch(/--s3-bucket/);
    expect(warnings[0]?.message).toMatch(/pipelines are not affected/);
  });
});
