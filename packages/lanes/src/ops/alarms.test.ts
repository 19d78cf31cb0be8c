import { describe, expect, it } from 'vitest';
import type { SampleRecord } from '../state/types.js';
import { ALARMS, evaluateAlarms } from './alarms.js';

/** Samples newest first, as the store returns them; cumulative request counters like the gateway's. */
function samples(rows: Partial<SampleRecord>[]): SampleRecord[] {
  return rows.map((row, i) => ({
    env: 'dev',
    service: 'api',
    lane: 'gray',
    at: 1000 - i,
    running: 2,
    desired: 2,
    healthy: 2,
    requests: 0,
    errors5xx: 0,
    ...row,
  }));
}

describe('the seed alarms', () => {
  it('raise nothing for a healthy lane', () => {
    expect(evaluateAlarms(samples([{ requests: 500, errors5xx: 1 }, { requests: 0 }]))).toEqual([]);
  });

  it('raise HIGH_5XX_RATE above 1% of recent requests, not at 1%', () => {
    const high = evaluateAlarms(
      samples([
        { requests: 300, errors5xx: 5 },
        { requests: 100, errors5xx: 0 },
      ]),
    );
    expect(high.map((a) => a.code)).toEqual([ALARMS.highErrorRate]);
    expect(high[0]!.message).toBe('5xx at 2.5% of 200 recent requests (threshold 1%)');
    expect(evaluateAlarms(samples([{ requests: 200, errors5xx: 2 }, { requests: 0 }]))).toEqual([]);
  });

  it('ignore the error rate of too few requests', () => {
    expect(evaluateAlarms(samples([{ requests: 10, errors5xx: 10 }, { requests: 0 }]))).toEqual([]);
  });

  it('raise RUNNING_BELOW_DESIRED only after 3 samples in a row', () => {
    const two = samples([{ running: 1 }, { running: 1 }, { running: 2 }]);
    expect(evaluateAlarms(two)).toEqual([]);
    const three = samples([{ running: 1 }, { running: 1 }, { running: 1 }]);
    expect(evaluateAlarms(three).map((a) => a.code)).toEqual([ALARMS.belowDesired]);
  });

  it('raise NO_HEALTHY_REPLICA on the latest sample', () => {
    expect(evaluateAlarms(samples([{ healthy: 0 }])).map((a) => a.code)).toEqual([ALARMS.noHealthy]);
  });

  it("take the gateway's healthy count of now over a sample taken before its first check of a new replica", () => {
    // The supervisor samples right after a slow start, while the gateway has not checked the replica yet
    // (healthy 0); status then showed 1/1/1 next to NO_HEALTHY_REPLICA.
    const stale = samples([{ running: 1, desired: 1, healthy: 0 }]);
    expect(evaluateAlarms(stale, { healthy: 1 })).toEqual([]);
    expect(evaluateAlarms(stale, { healthy: 0 }).map((a) => a.code)).toEqual([ALARMS.noHealthy]);
    expect(evaluateAlarms(stale, {}).map((a) => a.code)).toEqual([ALARMS.noHealthy]);
  });
});
