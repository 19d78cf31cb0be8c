import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CANARY_WEIGHT } from '../synth/lane-rules.js';
import { BOOT_METRIC_OUTPUTS, LANE_TARGET_GROUP } from './aws-canary-analysis.js';

/** The synthesized templates (the golden files the synth test keeps equal to synth's output). */
async function template(name: string): Promise<{
  Parameters?: Record<string, { Type: string; MinValue?: number; MaxValue?: number }>;
  Resources: Record<string, { Type: string }>;
  Outputs?: Record<string, unknown>;
}> {
  const url = new URL(`../synth/__golden__/shop-dev/ci/templates/${name}.template.json.golden`, import.meta.url);
  return JSON.parse(await readFile(url, 'utf8'));
}

describe('what route and promote --analyze need from the templates', () => {
  it('a lane stack has the CanaryWeight percent parameter and its target group under the logical id read', async () => {
    const lane = await template('app-lane');
    expect(lane.Parameters?.[CANARY_WEIGHT]).toMatchObject({ Type: 'Number', MinValue: 0, MaxValue: 100 });
    expect(lane.Resources[LANE_TARGET_GROUP]?.Type).toBe('AWS::ElasticLoadBalancingV2::TargetGroup');
  });

  it('the boot stack outputs the full names CloudWatch dimensions take', async () => {
    const boot = await template('boot');
    for (const output of BOOT_METRIC_OUTPUTS) expect(boot.Outputs).toHaveProperty(output);
  });
});
