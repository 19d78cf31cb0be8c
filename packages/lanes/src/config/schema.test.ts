import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { resolveSchemaRef, type SchemaNode, schemaDefaults, schemaPropertyNames } from '@lanes/json-config';
import { describe, expect, it } from 'vitest';
import { LanesConfigError } from '../errors.js';
import type { Project } from '../model.js';
import { maxLaneLength, serviceNameProblem } from '../naming.js';
import { parseDuration } from './duration.js';
import { parseProject } from './parse-project.js';
import { PROJECT_FIELDS, PROJECT_REQUIRED } from './project-defaults.js';

/** lanes.schema.json is written by hand for editors; these tests keep it in step with the parser and the docs. */
const schema = JSON.parse(readFileSync(new URL('../../lanes.schema.json', import.meta.url), 'utf8')) as SchemaNode;
const docs = readFileSync(new URL('../../../../docs/project-file.md', import.meta.url), 'utf8');

const resolve = (node: SchemaNode): SchemaNode => resolveSchemaRef(schema, node);

/** Follows property names (`*` for any key, `[]` for a list's items) from the root. */
function at(...path: string[]): SchemaNode {
  let node = resolve(schema);
  for (const key of path) {
    const items = (node as SchemaNode & { items?: SchemaNode }).items;
    const next = key === '*' ? node.additionalProperties : key === '[]' ? items : node.properties?.[key];
    expect(next, path.join('.')).toBeTypeOf('object');
    node = resolve(next as SchemaNode);
  }
  return node;
}

const context = { dir: '/p', file: '/p/lanes.json', env: 'dev', params: {} };

/** The parsed project in the shape of the file, so that schema defaults and parsed values sit at the same places. */
function asFile(project: Project): unknown {
  const path = (absolute: string) => relative(project.dir, absolute) || '.';
  return {
    stateDir: path(project.stateDir),
    gateway: project.gateway,
    admission: project.admission && {
      ...project.admission,
      tokens: {
        keyFile: relative(project.stateDir, project.admission.tokens.keyFile),
        // The parser keeps milliseconds; the file says "1d" for the default.
        maxTtl: project.admission.tokens.maxTtlMs === parseDuration('1d') ? '1d' : project.admission.tokens.maxTtlMs,
      },
    },
    aws: project.aws,
    services: Object.fromEntries(
      Object.entries(project.services).map(([name, { name: _, params: __, run, lanes, ...service }]) => [
        name,
        {
          ...service,
          run: { ...run, cwd: path(run.cwd) },
          lanes: Object.fromEntries(Object.entries(lanes).map(([lane, { run: ___, ...rest }]) => [lane, rest])),
        },
      ]),
    ),
  };
}

/** Every `default` in the schema, checked against the parsed value at the same place. */
function compareDefaults(value: unknown, seen: string[]): void {
  for (const { path, declared, actual } of schemaDefaults(schema, value)) {
    expect(actual, path).toEqual(declared);
    seen.push(path);
  }
}

describe('lanes.schema.json', () => {
  it('declares exactly the fields the parser knows', () => {
    const objects: [string[], readonly string[]][] = [
      [[], PROJECT_FIELDS.top],
      [['gateway'], PROJECT_FIELDS.gateway],
      [['gateway', 'crashLoop'], PROJECT_FIELDS.gatewayCrashLoop],
      [['admission'], PROJECT_FIELDS.admission],
      [['admission', 'tokens'], PROJECT_FIELDS.admissionTokens],
      [['aws'], PROJECT_FIELDS.aws],
      [['services', '*'], PROJECT_FIELDS.service],
      [['services', '*', 'route'], PROJECT_FIELDS.route],
      [['services', '*', 'run'], PROJECT_FIELDS.run],
      [['services', '*', 'healthCheck'], PROJECT_FIELDS.healthCheck],
      [['services', '*', 'passiveHealth'], PROJECT_FIELDS.passiveHealth],
      [['services', '*', 'crashLoop'], PROJECT_FIELDS.crashLoop],
      [['services', '*', 'lanes', '*'], PROJECT_FIELDS.lane],
      [['services', '*', 'lanes', '*', 'run'], PROJECT_FIELDS.run],
      [['services', '*', 'analysis'], PROJECT_FIELDS.analysis],
      [['services', '*', 'analysis', 'metrics', '[]'], PROJECT_FIELDS.analysisMetric],
    ];
    for (const [path, fields] of objects) {
      const node = at(...path);
      expect(Object.keys(node.properties ?? {}), path.join('.')).toEqual([...fields]);
      expect(node.additionalProperties, path.join('.')).toBe(false);
    }
  });

  it('declares the defaults the parser fills in', () => {
    const project = parseProject(
      {
        gateway: { crashLoop: {} },
        admission: { tokens: {} },
        aws: {},
        services: {
          shop: {
            run: { command: ['x'] },
            route: {},
            healthCheck: {},
            passiveHealth: {},
            crashLoop: {},
            lanes: { gray: {} },
            analysis: { metrics: [{ name: 'errors_total', maxRatio: 2 }] },
          },
        },
      },
      context,
    );
    const seen: string[] = [];
    compareDefaults(asFile(project), seen);
    expect(seen.sort()).toEqual(
      [
        '.stateDir',
        '.gateway.engine',
        '.gateway.host',
        '.gateway.port',
        '.gateway.adminPort',
        '.gateway.carriers',
        '.gateway.crashLoop.maxRestarts',
        '.gateway.crashLoop.windowMs',
        '.gateway.crashLoop.initialBackoffMs',
        '.gateway.crashLoop.maxBackoffMs',
        '.admission.trusted',
        '.admission.trustedHops',
        '.admission.tokens.keyFile',
        '.admission.tokens.maxTtl',
        '.admission.openLanes',
        '.aws.headerMatch',
        '.aws.albRulesQuota',
        '.services.shop.route.hosts',
        '.services.shop.run.cwd',
        '.services.shop.run.env',
        '.services.shop.run.portEnv',
        '.services.shop.healthCheck.path',
        '.services.shop.healthCheck.intervalMs',
        '.services.shop.healthCheck.timeoutMs',
        '.services.shop.healthCheck.healthyThreshold',
        '.services.shop.healthCheck.unhealthyThreshold',
        '.services.shop.passiveHealth.consecutiveFailures',
        '.services.shop.passiveHealth.ejectMs',
        '.services.shop.crashLoop.maxRestarts',
        '.services.shop.crashLoop.windowMs',
        '.services.shop.crashLoop.initialBackoffMs',
        '.services.shop.crashLoop.maxBackoffMs',
        '.services.shop.crashLoop.onLoop',
        '.services.shop.replicas',
        '.services.shop.startTimeoutMs',
        '.services.shop.drainMs',
        '.services.shop.maxStartFailures',
        '.services.shop.whenLaneDown',
        '.services.shop.lanes.gray.weight',
        '.services.shop.analysis.metricsPath',
      ].sort(),
    );
    // Defaults inside lists are not walked by schemaDefaults: this one is compared by hand.
    const metric = at('services', '*', 'analysis', 'metrics', '[]').properties!.maxIncrease!;
    expect(project.services.shop?.analysis?.metrics[0]?.maxIncrease).toBe(metric.default);
  });

  it('requires what the parser requires', () => {
    expect(at().required).toEqual([...PROJECT_REQUIRED.top]);
    expect(at('services', '*').required).toEqual([...PROJECT_REQUIRED.service]);
    expect(at('services', '*', 'run').required).toEqual([...PROJECT_REQUIRED.run]);
    expect(at('services', '*', 'lanes', '*', 'run').required).toBeUndefined();
    expect(at('services', '*', 'analysis').required).toEqual([...PROJECT_REQUIRED.analysis]);
    expect(at('services', '*', 'analysis', 'metrics', '[]').required).toEqual([...PROJECT_REQUIRED.analysisMetric]);
    const cases: [unknown, string][] = [
      [{}, 'services'],
      [{ services: { shop: {} } }, 'services.shop.run'],
      [{ services: { shop: { run: {} } } }, 'services.shop.run.command'],
      [{ services: { shop: { run: { command: ['x'] }, analysis: {} } } }, 'services.shop.analysis.metrics'],
      [
        { services: { shop: { run: { command: ['x'] }, analysis: { metrics: [{ max: 0 }] } } } },
        'services.shop.analysis.metrics[0].name',
      ],
    ];
    for (const [raw, path] of cases) {
      expect(() => parseProject(raw, context), path).toThrow(LanesConfigError);
      expect(() => parseProject(raw, context), path).toThrow(`${path}: missing`);
    }
  });

  it('limits names as the parser does', () => {
    const services = at('services').propertyNames!;
    expect(services.maxLength).toBe(45);
    expect(serviceNameProblem('a'.repeat(45), 'dev')).toBeUndefined();
    expect(serviceNameProblem('a'.repeat(46), 'dev')).toBeDefined();
    expect(at('services', '*', 'lanes').propertyNames?.maxLength).toBe(maxLaneLength('a', 'dev'));
    for (const name of ['shop', 'user-api', '9', 'a-b-c']) expect(new RegExp(services.pattern!).test(name)).toBe(true);
    for (const name of ['Shop', '-a', 'a-', 'a_b', '', 'a--b']) {
      expect(new RegExp(services.pattern!).test(name)).toBe(false);
      expect(serviceNameProblem(name, 'dev')).toBeDefined();
    }
    const lanes = at('services', '*', 'lanes').propertyNames!;
    expect(lanes.pattern).toBe(services.pattern);
  });

  it('accepts the metric names the parser accepts', () => {
    const name = new RegExp(at('services', '*', 'analysis', 'metrics', '[]', 'name').pattern!);
    const metric = (n: string) => ({
      services: { s: { run: { command: ['x'] }, analysis: { metrics: [{ name: n, max: 0 }] } } },
    });
    for (const text of ['app_errors_total', 'aoi:events', '_x', 'A1']) {
      expect(name.test(text), text).toBe(true);
      expect(() => parseProject(metric(text), context), text).not.toThrow();
    }
    for (const text of ['1x', 'app-errors', 'a b', '', 'é']) {
      expect(name.test(text), text).toBe(false);
      expect(() => parseProject(metric(text), context), text).toThrow('expected a Prometheus metric name');
    }
  });

  it('accepts the durations the parser accepts', () => {
    const ttl = new RegExp(at('services', '*', 'lanes', '*').properties!.ttl!.pattern!);
    for (const text of ['30m', '12h', '7d', '2w', '1h30m', '500ms', '1m1s1ms']) {
      expect(ttl.test(text), text).toBe(true);
      expect(parseDuration(text), text).toBeGreaterThan(0);
    }
    for (const text of ['30', '7 d', '30m1h', '1.5h', '7D']) {
      expect(ttl.test(text), text).toBe(false);
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});

describe('docs/project-file.md', () => {
  it('shows an example that parses', () => {
    const shown = /## An example[\s\S]*?```json\n([\s\S]*?)```/.exec(docs);
    const project = parseProject(JSON.parse(shown![1]!), context);
    expect(project.services.shop?.lanes.gray?.ttlMs).toBe(7 * 86_400_000);
  });

  it('documents every field of the schema', () => {
    const fields = schemaPropertyNames(schema);
    // schemaPropertyNames does not walk list items: add the fields of an analysis metric.
    for (const field of PROJECT_FIELDS.analysisMetric) fields.add(field);
    const undocumented = [...fields].filter((field) => !docs.includes(`\`${field}\``) && !docs.includes(`.${field}\``));
    expect(undocumented).toEqual([]);
  });
});
