import { describe, expect, it } from 'vitest';
import { LanesError } from '../errors.js';
import { checkAnalysisOptions, checkDeployRequest, MAX_REPLICAS } from './request-checks.js';

function userError(run: () => void): LanesError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LanesError);
    expect((error as LanesError).fault).toBe('user');
    return error as LanesError;
  }
  throw new Error('expected a user error');
}

describe('checkDeployRequest', () => {
  it('takes 1 to 32 replicas, or none', () => {
    expect(() => checkDeployRequest({})).not.toThrow();
    for (const replicas of [1, 7, MAX_REPLICAS]) expect(() => checkDeployRequest({ replicas })).not.toThrow();
  });

  it('refuses 0, 33, fractions and NaN, saying the range', () => {
    for (const replicas of [0, MAX_REPLICAS + 1, 1.5, Number.NaN, -1]) {
      expect(userError(() => checkDeployRequest({ replicas })).message).toMatch(/from 1 to 32, got /);
    }
  });
});

describe('checkDeployRequest: weight', () => {
  it('takes a weight >= 0 and refuses a negative or non-finite one, with every problem in one message', () => {
    expect(() => checkDeployRequest({ weight: 0 })).not.toThrow();
    expect(userError(() => checkDeployRequest({ weight: -1 })).message).toBe('weight must be a number >= 0, got -1');
    const both = userError(() => checkDeployRequest({ weight: Number.POSITIVE_INFINITY, replicas: 0 })).message;
    expect(both).toBe(
      'replicas must be a whole number from 1 to 32, got 0; weight must be a number >= 0, got Infinity',
    );
  });
});

describe('checkAnalysisOptions', () => {
  it('takes the defaults and any option in its range', () => {
    expect(() => checkAnalysisOptions({})).not.toThrow();
    const ok = { steps: [1, 50, 99], stepMs: 3_600_000, maxErrorRateIncrease: 0, maxLatencyRatio: 1 };
    expect(() => checkAnalysisOptions(ok)).not.toThrow();
  });

  it('refuses each option out of its range, every problem in one message', () => {
    expect(userError(() => checkAnalysisOptions({ steps: [] })).message).toMatch(/steps must be percentages/);
    expect(userError(() => checkAnalysisOptions({ steps: [10, 100] })).message).toMatch(/got 10,100/);
    expect(userError(() => checkAnalysisOptions({ stepMs: 0 })).message).toMatch(/at most 3600 seconds, got 0/);
    expect(userError(() => checkAnalysisOptions({ stepMs: 3_600_001 })).message).toMatch(/got 3600\.001/);
    expect(userError(() => checkAnalysisOptions({ maxErrorRateIncrease: 1.5 })).message).toMatch(/0 to 1, got 1\.5/);
    const both = userError(() => checkAnalysisOptions({ maxLatencyRatio: 0.9, steps: [Number.NaN] })).message;
    expect(both).toMatch(/steps must be .*; the allowed latency ratio must be at least 1, got 0\.9/);
  });
});
