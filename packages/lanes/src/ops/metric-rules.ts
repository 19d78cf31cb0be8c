import type { AnalysisMetric } from '../model.js';
import { counterIncrease, type LaneMetricsSnapshot } from './replica-metrics.js';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** One application metric at one step: the lane's and default's values, and what the rules made of them. */
export interface MetricReport {
  name: string;
  per: string | undefined;
  /** Undefined when it could not be computed (the reason says why). */
  lane: number | undefined;
  baseline: number | undefined;
  verdict: Verdict;
  reason: string;
}

/** How much each counter grew over one step, for one lane. */
export type StepIncreases = ReadonlyMap<string, number>;

type Value = { value: number; problem?: undefined } | { value?: undefined; problem: string };

/** Short, exact enough to compare by eye: 0.0123, 1.5, 42. */
export function formatValue(value: number | undefined): string {
  if (value === undefined) return '-';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

function label(rule: AnalysisMetric): string {
  return rule.per ? `${rule.name} per ${rule.per}` : rule.name;
}

function stepValue(rule: AnalysisMetric, increases: StepIncreases, lane: string): Value {
  const count = increases.get(rule.name) ?? 0;
  let value = count;
  if (rule.per) {
    const per = increases.get(rule.per) ?? 0;
    // A rate over nothing says nothing: not a pass, not a failure.
    if (!(per > 0)) return { problem: `${rule.per} did not move for ${lane}` };
    value = count / per;
  }
  if (!Number.isFinite(value)) return { problem: `${lane}'s value is ${formatValue(value)}, not a finite number` };
  return { value };
}

/** Judges one metric: `max` against the lane alone, `maxRatio` (+ `maxIncrease`) against default. */
export function judgeMetric(
  rule: AnalysisMetric,
  lane: StepIncreases,
  baseline: StepIncreases,
  laneName: string,
): MetricReport {
  const mine = stepValue(rule, lane, laneName);
  const theirs = stepValue(rule, baseline, 'default');
  const report = (verdict: Verdict, reason: string): MetricReport => ({
    name: rule.name,
    per: rule.per,
    lane: mine.value,
    baseline: theirs.value,
    verdict,
    reason: `${label(rule)} ${reason}`,
  });
  if (mine.value === undefined) return report('inconclusive', `inconclusive: ${mine.problem}`);
  const values = `${formatValue(mine.value)} vs default ${formatValue(theirs.value)}`;
  if (rule.max !== undefined && mine.value > rule.max) {
    return report('fail', `${values} (allowed max ${formatValue(rule.max)})`);
  }
  if (rule.maxRatio === undefined) return report('pass', values);
  if (theirs.value === undefined) return report('inconclusive', `inconclusive: no baseline: ${theirs.problem}`);
  const allowed = theirs.value * rule.maxRatio + rule.maxIncrease;
  if (mine.value > allowed) {
    const increase = rule.maxIncrease > 0 ? ` + ${formatValue(rule.maxIncrease)}` : '';
    return report(
      'fail',
      `${values} (allowed ${formatValue(allowed)} = default x ${formatValue(rule.maxRatio)}${increase})`,
    );
  }
  return report('pass', values);
}

/** Every counter the rules name (metrics and their denominators). */
function countersOf(rules: readonly AnalysisMetric[]): string[] {
  return [...new Set(rules.flatMap((rule) => (rule.per ? [rule.name, rule.per] : [rule.name])))];
}

function increases(rules: readonly AnalysisMetric[], before: LaneMetricsSnapshot, after: LaneMetricsSnapshot) {
  return new Map(countersOf(rules).map((name) => [name, counterIncrease(before, after, name)]));
}

/** One read of the lane and of default, taken together. */
export interface LanePairSnapshot {
  lane: LaneMetricsSnapshot;
  baseline: LaneMetricsSnapshot;
}

/** The reads before and after one step. */
export interface StepReadings {
  before: LanePairSnapshot;
  after: LanePairSnapshot;
}

/**
 * Judges every rule over one step. A replica that did not answer makes every metric inconclusive (a partial sum
 * would be judged as if it were whole), with the replica and the error in the reason.
 */
export function judgeMetrics(
  rules: readonly AnalysisMetric[],
  readings: StepReadings,
  laneName: string,
): MetricReport[] {
  const { before, after } = readings;
  const failures = [before.lane, after.lane, before.baseline, after.baseline].flatMap((s) => s.failures);
  if (failures.length > 0) {
    const why = [...new Set(failures)].join('; ');
    return rules.map((rule) => ({
      name: rule.name,
      per: rule.per,
      lane: undefined,
      baseline: undefined,
      verdict: 'inconclusive',
      reason: `${label(rule)} inconclusive: ${why}`,
    }));
  }
  const mine = increases(rules, before.lane, after.lane);
  const theirs = increases(rules, before.baseline, after.baseline);
  return rules.map((rule) => judgeMetric(rule, mine, theirs, laneName));
}
