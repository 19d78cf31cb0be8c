import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS, judgeStep } from './canary-analysis.js';

const good = { requests: 500, errorRate: 0.002, p99Ms: 25 };

describe('judgeStep', () => {
  it('passes a lane within both thresholds', () => {
    expect(judgeStep(10, { requests: 100, errorRate: 0.01, p99Ms: 30 }, good, DEFAULT_ANALYSIS).verdict).toBe('pass');
  });

  it('fails a lane whose 5xx rate is more than the allowed increase above default', () => {
    const step = judgeStep(10, { requests: 100, errorRate: 0.05, p99Ms: 25 }, good, DEFAULT_ANALYSIS);
    expect(step.verdict).toBe('fail');
    expect(step.reason).toBe('5xx rate 5% vs default 0.2% (allowed +1%)');
  });

  it('fails a lane whose p99 is more than the allowed ratio of default', () => {
    const step = judgeStep(25, { requests: 100, errorRate: 0, p99Ms: 100 }, good, DEFAULT_ANALYSIS);
    expect(step).toMatchObject({ verdict: 'fail', reason: 'p99 100 ms vs default 25 ms (allowed 1.5x)' });
  });

  it('calls a step with too few requests inconclusive rather than good', () => {
    expect(judgeStep(10, { requests: 3, errorRate: 1, p99Ms: 1 }, good, DEFAULT_ANALYSIS).verdict).toBe('inconclusive');
  });
});
