import { isValidLaneName } from '@lanes/trace-context';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AwsNames, awsNames } from './aws-names.js';
import {
  AWS_NAME_LIMITS,
  DEFAULT_LANE,
  envNameProblem,
  laneNameProblem,
  MAX_ENV_LENGTH,
  MAX_SERVICE_LENGTH,
  maxLaneLength,
  parseAppStackName,
  serviceNameProblem,
} from './naming.js';

/** Properties of `awsNames` over generated names: every name fits AWS, and no two owners ever share one. */

interface Triple {
  env: string;
  service: string;
  lane: string;
}

const name = (length: number, char = 'a') => char.repeat(length);

const accepted = ({ env, service, lane }: Triple) =>
  envNameProblem(env) === undefined &&
  serviceNameProblem(service, env) === undefined &&
  laneNameProblem(lane, { service, env }) === undefined;

/** Segments of a tiny alphabet: generated names share prefixes and are full of `-`, where separators matter. */
const segment = fc.string({ unit: fc.constantFrom('a', 'b', '0', '9'), minLength: 1, maxLength: 5 });

/** A valid part: segments joined by single `-`, cut to at most `max` characters (never ending in `-`). */
function part(max: number): fc.Arbitrary<string> {
  return fc
    .array(segment, { minLength: 1, maxLength: 12 })
    .map((segments) => segments.join('-').slice(0, max).replace(/-+$/, ''));
}

/** A part of exactly `length` characters or a little less, built from `seed`: names at the length limits. */
function stretch(seed: string, length: number): string {
  return seed
    .repeat(Math.ceil(length / seed.length))
    .slice(0, length)
    .replace(/-+$/, '');
}

const lane = (env: string, service: string) =>
  fc.oneof(
    { weight: 4, arbitrary: part(30) },
    { weight: 1, arbitrary: fc.constant(DEFAULT_LANE) },
    { weight: 2, arbitrary: part(8).map((seed) => stretch(seed, maxLaneLength(service, env))) },
  );

/** Any valid triple, often near the length limits. */
const triple: fc.Arbitrary<Triple> = fc
  .tuple(
    fc.oneof(
      part(MAX_ENV_LENGTH),
      part(6).map((seed) => stretch(seed, MAX_ENV_LENGTH)),
    ),
    fc.oneof(
      part(20),
      part(8).map((seed) => stretch(seed, MAX_SERVICE_LENGTH)),
    ),
  )
  .chain(([env, service]) => lane(env, service).map((l) => ({ env, service, lane: l })));

/**
 * Two triples from the same segments, cut in different places, e.g. service `a` lane `dev-b` and service `a-dev`
 * lane `b` in env `dev`: joined with a single `-`, every such pair shared its names.
 */
const shifted: fc.Arbitrary<[Triple, Triple]> = fc.array(segment, { minLength: 3, maxLength: 7 }).chain((segments) => {
  const n = segments.length;
  const cuts = fc
    .integer({ min: 1, max: n - 2 })
    .chain((i) => fc.integer({ min: i + 1, max: n - 1 }).map((j) => [i, j] as const));
  const cut = ([i, j]: readonly [number, number]): Triple => ({
    service: segments.slice(0, i).join('-'),
    env: segments.slice(i, j).join('-'),
    lane: segments.slice(j).join('-'),
  });
  // Rotating the parts also meets `{service}-{env}` against `{env}-{service}` and the like.
  return fc.tuple(cuts, cuts, fc.boolean()).map(([c1, c2, rotate]): [Triple, Triple] => {
    const second = cut(c2);
    return [cut(c1), rotate ? { env: second.service, service: second.lane, lane: second.env } : second];
  });
});

/** Pairs that share an env, or an env and a service, so that only the remaining part tells them apart. */
const sharing: fc.Arbitrary<[Triple, Triple]> = fc
  .tuple(triple, triple, fc.constantFrom('env', 'service'))
  .map(([a, b, shared]): [Triple, Triple] => [
    a,
    shared === 'env' ? { ...b, env: a.env } : { ...b, env: a.env, service: a.service },
  ]);

const pair = fc.oneof(fc.tuple(triple, triple), shifted, sharing);

type Key = (t: Triple) => string;
const envKey: Key = (t) => `env ${t.env}`;
const serviceKey: Key = (t) => `service ${t.env}/${t.service}`;
const laneKey: Key = (t) => `lane ${t.env}/${t.service}/${t.lane}`;

/**
 * Each name: who owns it, and the namespace in which AWS wants it unique. Kinds that share a namespace (the
 * account's stacks, its pipelines) share the namespace's key, so names are compared across kinds as well.
 */
const KINDS: { field: keyof AwsNames; owner: Key; namespace: Key }[] = [
  { field: 'infraStack', owner: envKey, namespace: () => 'stack' },
  { field: 'bootStack', owner: serviceKey, namespace: () => 'stack' },
  { field: 'appStack', owner: laneKey, namespace: () => 'stack' },
  { field: 'infraPipeline', owner: envKey, namespace: () => 'pipeline' },
  { field: 'bootPipeline', owner: envKey, namespace: () => 'pipeline' },
  { field: 'appPipeline', owner: serviceKey, namespace: () => 'pipeline' },
  { field: 'repository', owner: serviceKey, namespace: () => 'ecr repository' },
  { field: 'ecsCluster', owner: envKey, namespace: () => 'ecs cluster' },
  { field: 'ecsService', owner: laneKey, namespace: (t) => `ecs service in the cluster of ${t.env}` },
  { field: 'taskFamily', owner: laneKey, namespace: () => 'task family' },
  { field: 'targetGroup', owner: laneKey, namespace: () => 'target group' },
  { field: 'cloudMapNamespace', owner: envKey, namespace: () => 'cloud map namespace' },
  {
    field: 'cloudMapName',
    owner: (t) => (t.lane === DEFAULT_LANE ? serviceKey(t) : laneKey(t)),
    namespace: (t) => `cloud map service in ${t.env}`,
  },
  { field: 'logGroup', owner: serviceKey, namespace: () => 'log group' },
  { field: 'logStreamPrefix', owner: laneKey, namespace: (t) => `log streams of ${t.env}/${t.service}` },
  { field: 'albHeaderValue', owner: laneKey, namespace: (t) => `listener of ${t.env}/${t.service}` },
  { field: 'serviceArnExport', owner: serviceKey, namespace: () => 'export' },
];

/** Every (namespace, name, owner) of a triple. */
function entries(t: Triple): { namespace: string; name: string; owner: string }[] {
  const names = awsNames(t.env, t.service, t.lane);
  return KINDS.map((kind) => ({
    namespace: kind.namespace(t),
    name: names[kind.field],
    owner: `${kind.field} of ${kind.owner(t)}`,
  }));
}

const ALNUM_HYPHEN = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** The ECR service model's `RepositoryName` pattern (ECR API reference, CreateRepository). */
const ECR_REPOSITORY = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

function expectFits({ env, service, lane }: Triple): void {
  const names = awsNames(env, service, lane);
  const limits = AWS_NAME_LIMITS;
  expect(isValidLaneName(lane)).toBe(true);
  for (const stack of [names.infraStack, names.bootStack, names.appStack]) {
    expect(stack.length).toBeLessThanOrEqual(limits.stack);
    expect(stack).toMatch(/^[A-Za-z][-A-Za-z0-9]*$/);
  }
  for (const pipeline of [names.infraPipeline, names.bootPipeline, names.appPipeline]) {
    expect(pipeline.length).toBeLessThanOrEqual(limits.pipeline);
    expect(pipeline).toMatch(/^[A-Za-z0-9.@_-]+$/);
  }
  expect(names.repository.length).toBeLessThanOrEqual(limits.repository);
  expect(names.repository).toMatch(ECR_REPOSITORY);
  expect(names.ecsService.length).toBeLessThanOrEqual(limits.ecsService);
  expect(names.ecsService).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(names.taskFamily.length).toBeLessThanOrEqual(limits.taskFamily);
  expect(names.taskFamily).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(names.targetGroup.length).toBeLessThanOrEqual(limits.targetGroup);
  expect(names.targetGroup).toMatch(ALNUM_HYPHEN);
  expect(names.albHeaderValue.length).toBeLessThanOrEqual(limits.albHeaderValue);
  expect(names.cloudMapName.length).toBeLessThanOrEqual(limits.cloudMapName);
  expect(names.cloudMapName).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  expect(names.serviceArnExport.length).toBeLessThanOrEqual(limits.exportName);
  expect(names.serviceArnExport).toMatch(/^[A-Za-z0-9:-]+$/);
}

describe('AWS names (properties)', () => {
  it('never give two owners one name, within a kind or across kinds that share a namespace', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        fc.pre(accepted(a) && accepted(b));
        // Same name exactly when same owner: different owners never meet, and one owner has one name.
        const ownerOf = new Map<string, string>();
        const nameOf = new Map<string, string>();
        for (const { namespace, name: n, owner } of [...entries(a), ...entries(b)]) {
          const byName = `${namespace}\n${n}`;
          const byOwner = `${namespace}\n${owner}`;
          const other = ownerOf.get(byName) ?? owner;
          if (other !== owner) expect.fail(`${namespace}: "${n}" is the name of ${other} and of ${owner}`);
          const before = nameOf.get(byOwner) ?? n;
          if (before !== n) expect.fail(`${namespace}: ${owner} has two names, "${before}" and "${n}"`);
          ownerOf.set(byName, owner);
          nameOf.set(byOwner, n);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it("read a lane's stack name back into its parts", () => {
    fc.assert(
      fc.property(triple, (t) => {
        fc.pre(accepted(t));
        expect(parseAppStackName(awsNames(t.env, t.service, t.lane).appStack)).toEqual(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('fit their AWS limits for every accepted service, env and lane', () => {
    fc.assert(
      fc.property(triple, (t) => {
        fc.pre(accepted(t));
        expectFits(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('accept lanes exactly as long as the maximum, and no longer', () => {
    fc.assert(
      fc.property(triple, ({ env, service }) => {
        fc.pre(envNameProblem(env) === undefined && serviceNameProblem(service, env) === undefined);
        const max = maxLaneLength(service, env);
        expect(max).toBeGreaterThanOrEqual(16);
        expect(laneNameProblem(name(max), { service, env })).toBeUndefined();
        expect(laneNameProblem(name(max + 1), { service, env })).toContain(`at most ${max} characters`);
        expectFits({ env, service, lane: name(max) });
      }),
      { numRuns: 500 },
    );
  });

  it('accept services exactly as long as the maximum, and no longer', () => {
    expect(serviceNameProblem(name(MAX_SERVICE_LENGTH), name(MAX_ENV_LENGTH, 'e'))).toBeUndefined();
    expect(serviceNameProblem(name(MAX_SERVICE_LENGTH + 1), 'dev')).toContain(
      `at most ${MAX_SERVICE_LENGTH} characters`,
    );
    expectFits({ env: name(MAX_ENV_LENGTH, 'e'), service: name(MAX_SERVICE_LENGTH), lane: 'default' });
  });

  it('never give two lanes of a service the same target group', () => {
    const prefix = fc.constantFrom('', 'feature-', 'feature-checkout-', 'zzzzzzzzzzzzzzzzzzzzzzzz-');
    fc.assert(
      fc.property(
        part(30),
        part(16),
        prefix,
        fc.uniqueArray(part(40), { minLength: 2, maxLength: 40 }),
        (service, env, common, suffixes) => {
          const lanes = suffixes
            .map((suffix) => `${common}${suffix}`)
            .filter((l) => accepted({ env, service, lane: l }));
          const groups = new Set(lanes.map((l) => awsNames(env, service, l).targetGroup));
          expect(groups.size).toBe(lanes.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
