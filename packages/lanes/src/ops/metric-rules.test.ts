import { describe, expect, it } from 'vitest';
import type { AnalysisMetric } from '../model.js';
import { DEFAULT_ANALYSIS, judgeStep, withMetrics } from './canary-analysis.js';
import { formatValue, judgeMetric, judgeMetrics, type MetricReport } from './metric-rules.js';
import { counterIncrease, type LaneMetricsSnapshot } from './replica-metrics.js';

const rule = (fields: Partial<AnalysisMetric>): AnalysisMetric => ({
  name: 'bad_total',
  per: undefined,
  max: undefined,
  maxRatio: undefined,
  maxIncrease: 0,
  ...fields,
});
const counts = (values: Record<string, number>) => new Map(Object.entries(values));

describe('judgeMetric', () => {
  it('max: passes at the bound and fails above it, naming both values', () => {
    expect(judgeMetric(rule({ max: 2 }), counts({ bad_total: 2 }), counts({ bad_total: 0 }), 'gray')).toMatchObject({
      lane: 2,
      baseline: 0,
      verdict: 'pass',
    });
    const failed = judgeMetric(rule({ max: 0 }), counts({ bad_total: 3 }), counts({}), 'gray');
    expect(failed).toEqual({
      name: 'bad_total',
      per: undefined,
      lane: 3,
      baseline: 0,
      verdict: 'fail',
      reason: 'bad_total 3 vs default 0 (allowed max 0)',
    });
  });

  it('maxRatio: the lane may be at most default times the ratio', () => {
    const r = rule({ maxRatio: 1.5 });
    expect(judgeMetric(r, counts({ bad_total: 15 }), counts({ bad_total: 10 }), 'gray').verdict).toBe('pass');
    const failed = judgeMetric(r, counts({ bad_total: 16 }), counts({ bad_total: 10 }), 'gray');
    expect(failed).toMatchObject({
      verdict: 'fail',
      reason: 'bad_total 16 vs default 10 (allowed 15 = default x 1.5)',
    });
  });

  it('maxIncrease: lets a lane through where default saw nothing', () => {
    const r = rule({ maxRatio: 2, maxIncrease: 1 });
    expect(judgeMetric(r, counts({ bad_total: 1 }), counts({ bad_total: 0 }), 'gray').verdict).toBe('pass');
    expect(judgeMetric(r, counts({ bad_total: 2 }), counts({ bad_total: 0 }), 'gray')).toMatchObject({
      verdict: 'fail',
      reason: 'bad_total 2 vs default 0 (allowed 1 = default x 2 + 1)',
    });
  });

  it('per: compares rates, so a lane with less traffic is not favoured', () => {
    const r = rule({ per: 'events_total', maxRatio: 1.5, maxIncrease: 0.001 });
    const lane = counts({ bad_total: 3, events_total: 100 });
    const baseline = counts({ bad_total: 10, events_total: 1000 });
    expect(judgeMetric(r, lane, baseline, 'gray')).toMatchObject({
      lane: 0.03,
      baseline: 0.01,
      verdict: 'fail',
      reason: 'bad_total per events_total 0.03 vs default 0.01 (allowed 0.016 = default x 1.5 + 0.001)',
    });
    const fine = counts({ bad_total: 1, events_total: 100 });
    expect(judgeMetric(r, fine, baseline, 'gray')).toMatchObject({ lane: 0.01, verdict: 'pass' });
  });

  it('both rules: either one fails the metric', () => {
    const r = rule({ max: 5, maxRatio: 10 });
    expect(judgeMetric(r, counts({ bad_total: 6 }), counts({ bad_total: 1 }), 'gray').reason).toContain('max 5');
    expect(judgeMetric(r, counts({ bad_total: 4 }), counts({ bad_total: 0 }), 'gray').reason).toContain('x 10');
    expect(judgeMetric(r, counts({ bad_total: 4 }), counts({ bad_total: 1 }), 'gray').verdict).toBe('pass');
  });

  it("is inconclusive when the lane's denominator did not move", () => {
    const r = rule({ per: 'events_total', max: 0 });
    expect(judgeMetric(r, counts({ bad_total: 0 }), counts({ events_total: 9 }), 'gray')).toMatchObject({
      lane: undefined,
      baseline: 0,
      verdict: 'inconclusive',
      reason: 'bad_total per events_total inconclusive: events_total did not move for gray',
    });
  });

  it("is inconclusive for a ratio without a baseline rate, but still judges max on the lane's own rate", () => {
    const lane = counts({ bad_total: 1, events_total: 10 });
    const ratio = judgeMetric(rule({ per: 'events_total', maxRatio: 2 }), lane, counts({}), 'gray');
    expect(ratio).toMatchObject({
      verdict: 'inconclusive',
      reason: expect.stringContaining('did not move for default'),
    });
    const max = judgeMetric(rule({ per: 'events_total', max: 0.05, maxRatio: 2 }), lane, counts({}), 'gray');
    expect(max.verdict).toBe('fail');
  });

  it('is inconclusive on a value that is not a finite number', () => {
    const report = judgeMetric(rule({ max: 1 }), counts({ bad_total: Number.NaN }), counts({}), 'gray');
    expect(report).toMatchObject({ verdict: 'inconclusive', reason: expect.stringContaining('not a finite number') });
  });
});

const snapshot = (replicas: Record<number, Record<string, number>>, failures: string[] = []): LaneMetricsSnapshot => ({
  replicas: new Map(Object.entries(replicas).map(([id, values]) => [Number(id), counts(values)])),
  failures,
});

describe('counterIncrease', () => {
  it('sums per-replica increases; missing counts as 0; a restarted or new replica counts from 0', () => {
    const before = snapshot({ 1: { bad_total: 5 }, 2: { bad_total: 7 }, 3: { bad_total: 2 } });
    const after = snapshot({ 1: { bad_total: 8 }, 2: { bad_total: 1 }, 4: { bad_total: 4 }, 5: {} });
    // replica 1: +3; 2 restarted: +1; 3 gone: 0; 4 joined: +4; 5 answered without it: 0
    expect(counterIncrease(before, after, 'bad_total')).toBe(8);
    expect(counterIncrease(before, after, 'other_total')).toBe(0);
  });
});

describe('judgeMetrics', () => {
  const rules = [rule({ max: 0 }), rule({ name: 'slow_total', per: 'req_total', maxRatio: 2 })];
  const readings = (laneAfter: LaneMetricsSnapshot) => ({
    before: {
      lane: snapshot({ 1: { bad_total: 1, req_total: 10 } }),
      baseline: snapshot({ 7: { req_total: 100, slow_total: 1 } }),
    },
    after: { lane: laneAfter, baseline: snapshot({ 7: { req_total: 200, slow_total: 3 } }) },
  });

  it('judges every rule on the increases over the step', () => {
    const reports = judgeMetrics(
      rules,
      readings(snapshot({ 1: { bad_total: 1, req_total: 20, slow_total: 1 } })),
      'gray',
    );
    expect(reports.map((r) => [r.name, r.lane, r.baseline, r.verdict])).toEqual([
      ['bad_total', 0, 0, 'pass'],
      ['slow_total', 0.1, 0.02, 'fail'],
    ]);
  });

  it('makes every metric inconclusive when a replica did not answer, naming it and the error', () => {
    const failure = 'gray replica #1 (127.0.0.1:20001/metrics) did not answer: no answer within 2000 ms';
    const reports = judgeMetrics(rules, readings(snapshot({}, [failure])), 'gray');
    expect(reports.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(reports[0]!.reason).toBe(`bad_total inconclusive: ${failure}`);
  });
});

describe('withMetrics', () => {
  const gateway = judgeStep(
    10,
    { requests: 100, errorRate: 0, p99Ms: 5 },
    { requests: 900, errorRate: 0, p99Ms: 5 },
    DEFAULT_ANALYSIS,
  );
  const report = (verdict: MetricReport['verdict'], reason: string): MetricReport => ({
    name: 'bad_total',
    per: undefined,
    lane: 1,
    baseline: 0,
    verdict,
    reason,
  });

  it('fails the step when a metric fails, and keeps every report', () => {
    const step = withMetrics(gateway, [report('pass', 'a ok'), report('fail', 'b bad'), report('inconclusive', 'c ?')]);
    expect(step).toMatchObject({ verdict: 'fail', reason: 'b bad' });
    expect(step.metrics).toHaveLength(3);
  });

  it('is inconclusive when a metric is and none failed', () => {
    expect(withMetrics(gateway, [report('pass', 'a ok'), report('inconclusive', 'c ?')])).toMatchObject({
      verdict: 'inconclusive',
      reason: 'c ?',
    });
  });

  it('passes with the gateway and every metric in the reason', () => {
    const step = withMetrics(gateway, [report('pass', 'a ok')]);
    expect(step.verdict).toBe('pass');
    expect(step.reason).toBe(`${gateway.reason}; a ok`);
  });
});

describe('formatValue', () => {
  it('keeps integers and three significant digits', () => {
    expect([42, 0.012345, 1.5, 0.0001234, undefined].map(formatValue)).toEqual([
      '42',
      '0.0123',
      '1.5',
      '0.000123',
      '-',
    ]);
  });
});
