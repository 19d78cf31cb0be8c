import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { AppLaneStack } from './app-lane-stack.js';
import { LANE_ALARMS } from './lane-alarms.js';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

function template(kind: 'default' | 'lane'): Record<string, Resource> {
  const stack = new AppLaneStack(new App(), `App-${kind}`, {
    kind,
    match: { carriers: ['tracestate'], ows: false },
  });
  return Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
}

describe.each(['lane', 'default'] as const)('deployment alarms (%s template)', (kind) => {
  const resources = template(kind);
  const service = Object.values(resources).find((r) => r.Type === 'AWS::ECS::Service');
  const config = service?.Properties.DeploymentConfiguration as
    | { Alarms?: { AlarmNames: { Ref: string }[]; Enable: boolean; Rollback: boolean } }
    | undefined;

  test('the ECS service fails and rolls back a deployment on the 5XX alarm', () => {
    expect(config?.Alarms).toEqual({ AlarmNames: [{ Ref: 'Target5xxRate' }], Enable: true, Rollback: true });
  });

  test('every alarm it names is a lane alarm of this stack that stays OK without data', () => {
    for (const { Ref } of config?.Alarms?.AlarmNames ?? []) {
      const alarm = resources[Ref];
      expect(alarm?.Type).toBe('AWS::CloudWatch::Alarm');
      expect(LANE_ALARMS).toContain(Ref);
      // A breaching alarm would fail every fresh deploy before its metrics arrive.
      expect(alarm?.Properties.TreatMissingData).not.toBe('breaching');
    }
  });

  test('the lane keeps all three alarms, the breaching ones for notification only', () => {
    const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id).sort()).toEqual([...LANE_ALARMS].sort());
  });
});
