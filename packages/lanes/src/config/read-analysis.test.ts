import { describe, expect, it } from 'vitest';
import { type ConfigIssue, LanesConfigError } from '../errors.js';
import { parseProject } from './parse-project.js';

const FILE = '/proj/lanes.json';
const context = { dir: '/proj', file: FILE, env: 'dev', params: {} };

function project(analysis: unknown, lane: Record<string, unknown> = {}) {
  return { services: { arena: { run: { command: ['node', 'arena.js'] }, analysis, lanes: { gray: lane } } } };
}

function issuesOf(raw: unknown): ConfigIssue[] {
  try {
    parseProject(raw, context);
  } catch (error) {
    expect(error).toBeInstanceOf(LanesConfigError);
    return [...(error as LanesConfigError).issues];
  }
  throw new Error('expected the project to be rejected');
}

const metric = (fields: Record<string, unknown>) => ({ metrics: [{ name: 'errors_total', ...fields }] });
const at = (index: number, field?: string) =>
  `services.arena.analysis.metrics[${index}]${field === undefined ? '' : `.${field}`}`;

describe('services.<name>.analysis', () => {
  it('reads the documented shape, with defaults filled in', () => {
    const parsed = parseProject(
      project({
        metricsPath: '/arena/metrics',
        metrics: [
          { name: 'aoi_ground_truth_errors_total', max: 0 },
          { name: 'aoi_oscillation_findings_total', per: 'aoi_events_total', maxRatio: 1.5, maxIncrease: 0.001 },
        ],
      }),
      context,
    );
    expect(parsed.services.arena?.analysis).toEqual({
      metricsPath: '/arena/metrics',
      metrics: [
        { name: 'aoi_ground_truth_errors_total', per: undefined, max: 0, maxRatio: undefined, maxIncrease: 0 },
        {
          name: 'aoi_oscillation_findings_total',
          per: 'aoi_events_total',
          max: undefined,
          maxRatio: 1.5,
          maxIncrease: 0.001,
        },
      ],
    });
    const plain = parseProject(project({ metrics: [{ name: 'x_total', max: 1, maxRatio: 2 }] }), context);
    expect(plain.services.arena?.analysis?.metricsPath).toBe('/metrics');
    expect(parseProject(project(undefined), context).services.arena?.analysis).toBeUndefined();
  });

  it.each([
    [
      'metricsPath without a slash',
      { ...metric({ max: 0 }), metricsPath: 'metrics' },
      'services.arena.analysis.metricsPath',
      'expected a path starting with "/"',
    ],
    ['metrics missing', {}, 'services.arena.analysis.metrics', 'missing; list the counters to judge'],
    ['metrics empty', { metrics: [] }, 'services.arena.analysis.metrics', 'expected a non-empty list'],
    ['metrics not a list', { metrics: { name: 'x' } }, 'services.arena.analysis.metrics', 'expected a non-empty list'],
    ['analysis not an object', [], 'services.arena.analysis', 'expected an object'],
    ['a metric not an object', { metrics: ['errors_total'] }, at(0), 'expected an object, got "errors_total"'],
    ['a metric without a name', { metrics: [{ max: 0 }] }, at(0, 'name'), 'missing; the counter to read'],
    [
      'a name with a dash',
      { metrics: [{ name: 'app-errors', max: 0 }] },
      at(0, 'name'),
      'expected a Prometheus metric name',
    ],
    [
      'a name starting with a digit',
      { metrics: [{ name: '5xx_total', max: 0 }] },
      at(0, 'name'),
      'not starting with a digit',
    ],
    [
      'a per that is not a name',
      metric({ per: 'a b', maxRatio: 1 }),
      at(0, 'per'),
      'not starting with a digit), got "a b"',
    ],
    [
      'per the metric itself',
      metric({ per: 'errors_total', maxRatio: 1 }),
      at(0, 'per'),
      'divided by itself is always 1',
    ],
    ['no rule', metric({ per: 'requests_total' }), at(0), 'no rule: give "max"'],
    ['a negative max', metric({ max: -1 }), at(0, 'max'), 'expected a number >= 0, got -1'],
    ['a quoted maxRatio', metric({ maxRatio: '1.5' }), at(0, 'maxRatio'), 'expected a number >= 0, got "1.5"'],
    [
      'a negative maxIncrease',
      metric({ maxRatio: 1, maxIncrease: -0.1 }),
      at(0, 'maxIncrease'),
      'expected a number >= 0',
    ],
    [
      'maxIncrease without maxRatio',
      metric({ max: 0, maxIncrease: 1 }),
      at(0, 'maxIncrease'),
      'only applies with "maxRatio"',
    ],
    [
      'a misspelled rule',
      metric({ maxRatoi: 2 }),
      at(0, 'maxRatoi'),
      'unknown field "maxRatoi" (did you mean "maxRatio"?)',
    ],
    [
      'an unknown field',
      metric({ max: 0, zzz: 1 }),
      at(0, 'zzz'),
      'known fields: name, per, max, maxRatio, maxIncrease',
    ],
    ['min instead of max', metric({ max: 0, min: 1 }), at(0, 'min'), 'only upper bounds are checked'],
    [
      'a misspelled metricsPath',
      { ...metric({ max: 0 }), metricPath: '/m' },
      'services.arena.analysis.metricPath',
      'did you mean "metricsPath"?',
    ],
    [
      'a rule on the analysis object',
      { metrics: [{ name: 'x' }], max: 0 },
      'services.arena.analysis.max',
      'it belongs in each entry of "metrics"',
    ],
  ])('rejects %s, naming the field', (_name, analysis, path, message) => {
    const issues = issuesOf(project(analysis));
    expect(issues).toContainEqual({ file: FILE, path, message: expect.stringContaining(message) });
  });

  it('reports a misspelled rule once, not also as "no rule"', () => {
    expect(issuesOf(project(metric({ maxRatoi: 2 })))).toHaveLength(1);
  });

  it('rejects a counter listed twice with the same per, but not with another per', () => {
    const twice = {
      metrics: [
        { name: 'e_total', max: 0 },
        { name: 'e_total', maxRatio: 2 },
      ],
    };
    expect(issuesOf(project(twice))).toEqual([
      { file: FILE, path: at(1), message: expect.stringContaining('"e_total" is listed twice') },
    ]);
    const rated = {
      metrics: [
        { name: 'e_total', max: 0 },
        { name: 'e_total', per: 'r_total', maxRatio: 2 },
      ],
    };
    expect(parseProject(project(rated), context).services.arena?.analysis?.metrics).toHaveLength(2);
  });

  it('says where analysis goes when it is written in a lane or its fields in the service', () => {
    expect(issuesOf(project(metric({ max: 0 }), { analysis: metric({ max: 0 }) }))).toEqual([
      {
        file: FILE,
        path: 'services.arena.lanes.gray.analysis',
        message: expect.stringContaining('put "analysis" in the service'),
      },
    ]);
    const raw = { services: { arena: { run: { command: ['x'] }, metrics: [] } } };
    expect(issuesOf(raw)).toEqual([
      {
        file: FILE,
        path: 'services.arena.metrics',
        message: expect.stringContaining('it belongs in "analysis.metrics"'),
      },
    ]);
  });
});
