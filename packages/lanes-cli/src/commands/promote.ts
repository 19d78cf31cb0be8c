import type { AnalysisOptions } from '@lanes/core';
import { withInterrupt } from '../interrupt.js';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS } from '../project-options.js';
import { PROVIDER_OPTIONS, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom } from './arguments.js';

export const promoteCommand = lanesCommand({
  name: 'promote',
  summary: 'make the lane the new default, then delete it (--analyze: stepwise canary first)',
  positionals: [{ name: 'service' }, { name: 'lane' }],
  description: `Makes the lane the new default: the default lane is updated to the lane's revision (rolling replace), then the
promoted lane is deleted. Both lanes are locked while this runs.

With --analyze (automated canary analysis; locally it needs the platform running): untagged traffic moves to the
lane in steps, and at each step the lane's 5xx rate and p99 latency are compared with default's; a bad step sends
the traffic back and stops (exit 3), all steps good promote; Ctrl-C sends the traffic back and promotes nothing.
A service with an "analysis" block in lanes.json is also judged by its own counters, read from every replica of
both lanes (see docs/project-file.md). With --provider aws the weights are the lane stack's CanaryWeight and the
numbers come from CloudWatch (the target groups' 5xx count, request count and p99 response time).`,
  options: {
    analyze: { type: 'boolean', description: 'automated canary analysis before the promote' },
    steps: {
      type: 'string',
      value: '<list>',
      default: '10,25,50',
      description: 'percent of untagged traffic at each step',
    },
    'step-seconds': {
      type: 'number',
      value: '<n>',
      default: '30; aws: 120, at least 60',
      description: 'length of each step',
    },
    'max-error-increase': {
      type: 'number',
      value: '<r>',
      default: '0.01',
      description: "allowed 5xx rate above default's, as a fraction",
    },
    'max-latency-ratio': {
      type: 'number',
      value: '<r>',
      default: '1.5',
      description: "allowed p99 latency over default's p99",
    },
    ...PROVIDER_OPTIONS,
    ...PROJECT_OPTIONS,
  },
  async run({ values, positionals }, io, deps) {
    const json = values.json === true;
    return withProvider('promote', values, io, deps, async (provider, session) => {
      const key = laneKeyFrom(session, positionals);
      if (!values.analyze) {
        const result = await withInterrupt(provider.interruptible === true, (signal) =>
          provider.promote(key, { signal }),
        );
        return renderProviderResult(io, json, result);
      }
      // The provider checks the ranges and fills in its own defaults. Ctrl-C ends the analysis, traffic sent back.
      const analysis: Partial<AnalysisOptions> = {
        ...(values.steps === undefined ? {} : { steps: values.steps.split(',').map(Number) }),
        ...(values['step-seconds'] === undefined ? {} : { stepMs: values['step-seconds'] * 1000 }),
        ...(values['max-error-increase'] === undefined ? {} : { maxErrorRateIncrease: values['max-error-increase'] }),
        ...(values['max-latency-ratio'] === undefined ? {} : { maxLatencyRatio: values['max-latency-ratio'] }),
      };
      return withInterrupt(true, async (signal) =>
        renderProviderResult(io, json, await provider.promote(key, { analysis, signal })),
      );
    });
  },
});
