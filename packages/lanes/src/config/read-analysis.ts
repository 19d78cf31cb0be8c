import { childPath, describe, type IssueSink, ObjectFields } from '@lanes/json-config';
import type { AnalysisMetric, ServiceAnalysis } from '../model.js';
import { PROJECT_DEFAULTS, PROJECT_FIELDS } from './project-defaults.js';
import { readUrlPath } from './url-path.js';

/** Prometheus's metric name rule (the classic one: what every client library and exposition format accepts). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const METRIC_NAME_RULE = 'a Prometheus metric name (letters, digits, "_" and ":", not starting with a digit)';

const EXAMPLE_METRIC = '{ "name": "app_errors_total", "per": "app_requests_total", "maxRatio": 1.5 }';

const ANALYSIS_ELSEWHERE = {
  path: 'did you mean "metricsPath"?',
  rules: 'use "metrics", a list of counters and their rules',
  name: belongsInEach('name'),
  max: belongsInEach('max'),
  maxRatio: belongsInEach('maxRatio'),
};

const METRIC_ELSEWHERE = {
  metric: 'did you mean "name"?',
  ratio: 'did you mean "maxRatio"?',
  increase: 'did you mean "maxIncrease"?',
  min: 'only upper bounds are checked: use "max" or "maxRatio"',
  metricsPath: 'it belongs in the "analysis" object, next to "metrics"',
};

function belongsInEach(field: string): string {
  return `it belongs in each entry of "metrics", e.g. ${field === 'name' ? EXAMPLE_METRIC : `{ "name": "app_errors_total", "${field}": 0 }`}`;
}

function readMetricName(metric: ObjectFields, key: string): string | undefined {
  const value = metric.get(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && METRIC_NAME.test(value)) return value;
  metric.report(metric.at(key), `expected ${METRIC_NAME_RULE}, got ${describe(value)}`);
  return undefined;
}

/** A bound: absent gives `undefined`; present must be a finite number >= 0 (reported otherwise). */
function readBound(metric: ObjectFields, key: string): number | undefined {
  return metric.has(key) ? metric.number(key, 0, 0) : undefined;
}

function readMetric(value: unknown, path: string, sink: IssueSink): AnalysisMetric | undefined {
  const metric = ObjectFields.open(value, path, sink, PROJECT_FIELDS.analysisMetric, METRIC_ELSEWHERE);
  if (!metric) return undefined;
  if (!metric.has('name')) metric.missing('name', `missing; the counter to read, e.g. ${EXAMPLE_METRIC}`);
  const name = readMetricName(metric, 'name');
  const per = readMetricName(metric, 'per');
  if (name !== undefined && per === name) {
    metric.report(metric.at('per'), `"${per}" divided by itself is always 1; name another counter, or leave "per" out`);
  }
  const max = readBound(metric, 'max');
  const maxRatio = readBound(metric, 'maxRatio');
  const maxIncrease = readBound(metric, 'maxIncrease');
  const typo = metric.isMisspelled('max') || metric.isMisspelled('maxRatio');
  if (!metric.has('max') && !metric.has('maxRatio') && !typo) {
    metric.report(
      path,
      'no rule: give "max" (the lane\'s value must be at most this), "maxRatio" (at most default\'s value times this), or both',
    );
  }
  if (maxIncrease !== undefined && !metric.has('maxRatio') && !metric.isMisspelled('maxRatio')) {
    metric.report(metric.at('maxIncrease'), 'only applies with "maxRatio" (lane <= default x maxRatio + maxIncrease)');
  }
  return { name: name ?? '', per, max, maxRatio, maxIncrease: maxIncrease ?? PROJECT_DEFAULTS.analysis.maxIncrease };
}

function readMetrics(analysis: ObjectFields): AnalysisMetric[] {
  const value = analysis.get('metrics');
  if (value === undefined) {
    analysis.missing('metrics', `missing; list the counters to judge, e.g. "metrics": [${EXAMPLE_METRIC}]`);
    return [];
  }
  const path = analysis.at('metrics');
  if (!Array.isArray(value) || value.length === 0) {
    analysis.report(
      path,
      `expected a non-empty list of counters and rules, e.g. [${EXAMPLE_METRIC}], got ${describe(value)}`,
    );
    return [];
  }
  const metrics: AnalysisMetric[] = [];
  value.forEach((raw: unknown, index) => {
    const at = childPath(path, index);
    const metric = readMetric(raw, at, analysis.sink);
    if (!metric) return;
    const same = metrics.find((m) => m.name === metric.name && m.per === metric.per);
    if (same && metric.name !== '') {
      const what = metric.per ? `"${metric.name}" per "${metric.per}"` : `"${metric.name}"`;
      analysis.report(at, `${what} is listed twice; put all its rules in one entry`);
      return;
    }
    metrics.push(metric);
  });
  return metrics;
}

/** A service's `analysis`: the application counters `promote --analyze` judges; `undefined` when there is none. */
export function readAnalysis(service: ObjectFields): ServiceAnalysis | undefined {
  const analysis = service.object('analysis', PROJECT_FIELDS.analysis, ANALYSIS_ELSEWHERE);
  if (!analysis) return undefined;
  return {
    metricsPath: readUrlPath(analysis, 'metricsPath', true) ?? PROJECT_DEFAULTS.analysis.metricsPath,
    metrics: readMetrics(analysis),
  };
}
