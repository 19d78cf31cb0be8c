import { describe, expect, it } from 'vitest';
import type { StepReport } from './canary-analysis.js';
import { runCanarySteps } from './canary-steps.js';

type Stop = { type: 'busy'; message: string };

/** A driver that records the weights it is asked for and judges each step as `verdicts` says. */
function driver(verdicts: Record<number, StepReport['verdict']>, refuse: Record<number, Stop> = {}) {
  const weights: number[] = [];
  const judged: number[] = [];
  return {
    weights,
    judged,
    setWeight: async (percent: number) => {
      weights.push(percent);
      return refuse[percent];
    },
    measure: async (percent: number): Promise<StepReport> => {
      const numbers = { requests: 100, errorRate: 0, p99Ms: 10 };
      const verdict = verdicts[percent] ?? 'pass';
      return { percent, lane: numbers, baseline: numbers, metrics: [], verdict, reason: `${verdict} at ${percent}` };
    },
    onStep: (step: StepReport) => judged.push(step.percent),
  };
}

describe('runCanarySteps', () => {
  it('walks every step, then sends the traffic back before the promote', async () => {
    const d = driver({});
    expect(await runCanarySteps([10, 25, 50], d)).toMatchObject({ type: 'passed' });
    expect(d.weights).toEqual([10, 25, 50, 0]);
    expect(d.judged).toEqual([10, 25, 50]);
  });

  it('stops at a failing step and sends the traffic back', async () => {
    const d = driver({ 25: 'fail' });
    const run = await runCanarySteps([10, 25, 50], d);
    expect(run).toMatchObject({
      type: 'aborted',
      reason: 'step 25% failed: fail at 25; untagged traffic went back to default',
    });
    expect(d.weights).toEqual([10, 25, 0]);
  });

  it('aborts when no step could judge the lane', async () => {
    const d = driver({ 10: 'inconclusive', 25: 'inconclusive' });
    const run = await runCanarySteps([10, 25], d);
    expect(run).toMatchObject({ type: 'aborted', reason: expect.stringContaining('no step could judge the lane') });
  });

  it('says so when the traffic could not be sent back', async () => {
    const d = driver({ 10: 'fail' }, { 0: { type: 'busy', message: 'lane busy' } });
    const run = await runCanarySteps([10, 25], d);
    expect(run).toMatchObject({
      type: 'aborted',
      reason: 'step 10% failed: fail at 10; sending untagged traffic back to default failed: lane busy',
    });
  });

  it('ends with the stop a weight change answers, taking back an earlier step', async () => {
    const d = driver({}, { 25: { type: 'busy', message: 'lane busy' } });
    const run = await runCanarySteps([10, 25, 50], d);
    expect(run).toMatchObject({ type: 'stopped', stop: { message: 'lane busy' } });
    expect(d.weights).toEqual([10, 25, 0]);
  });

  it('ends an interrupted run (Ctrl-C) with the traffic sent back, during a step or between steps', async () => {
    const during = new AbortController();
    const d = driver({});
    const measure = d.measure;
    d.measure = async (percent: number) => {
      if (percent === 25) during.abort();
      return measure(percent);
    };
    const run = await runCanarySteps([10, 25, 50], d, during.signal);
    expect(run).toMatchObject({
      type: 'aborted',
      reason: 'interrupted at step 25%; untagged traffic went back to default; nothing was promoted',
    });
    expect(d.weights).toEqual([10, 25, 0]);
    expect(d.judged).toEqual([10]);

    const before = new AbortController();
    before.abort();
    const untouched = driver({});
    expect(await runCanarySteps([10], untouched, before.signal)).toMatchObject({ type: 'aborted' });
    expect(untouched.weights).toEqual([]);
  });
});
