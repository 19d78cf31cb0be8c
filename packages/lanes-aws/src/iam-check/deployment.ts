import { conditionValue, type ResolveScope, resolve, type Value } from './intrinsics.js';
import { arnHasType, referenceData } from './reference-data.js';
import { GENERATORS, hex, type Physical } from './sample-resources.js';

/**
 * A sample deployment: the layer templates resolved for one account, region, env, service and lane, with a
 * plausible physical id and ARN for every resource, in the formats the Service Authorization Reference gives.
 * Names come from the rendered templates and their parameters (so from the project's name functions), never from
 * the policies under test. Every resource is included whatever its `Condition`: a stack may create it.
 */

export interface Account {
  partition: string;
  region: string;
  account: string;
}

export interface LayerInput {
  /** `infra`, `boot`, `app-default`, `app-lane`. */
  layer: string;
  stackName: string;
  template: Record<string, unknown>;
  parameters: Record<string, Value>;
  /** The stack tags the pipeline or the deploy provider applies. */
  tags: Record<string, string>;
}

export interface SampleResource {
  layer: string;
  stackName: string;
  logicalId: string;
  type: string;
  /** The resolved `Properties`. */
  properties: Record<string, unknown>;
  /** The raw `Properties`, to see which properties are set at all (also under `Fn::If`). */
  rawProperties: Record<string, unknown>;
  /** The resource's own ARNs (a NAT gateway has one; an ECS service also names its deployments). */
  arns: string[];
  /** ARNs of other resources its properties name (by ARN, id or name). */
  referenced: string[];
  tags: Record<string, string>;
}

export interface Deployment {
  account: Account;
  resources: SampleResource[];
  exports: Record<string, string>;
  /** The service principal each sample role trusts (for `iam:PassedToService`). */
  roleTrust: Record<string, string>;
}

/** Resolves the layers in order (each may import the exports of those before it). */
export function sampleDeployment(account: Account, layers: LayerInput[]): Deployment {
  const exports: Record<string, string> = {};
  const resources: SampleResource[] = [];
  const registry = new Map<string, string>(); // ref, id, name or ARN -> ARN
  const roleTrust: Record<string, string> = {};
  for (const layer of layers) {
    const t = layer.template as {
      Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
      Outputs?: Record<string, { Value: unknown; Condition?: string; Export?: { Name: unknown } }>;
      Conditions?: Record<string, unknown>;
      Mappings?: Record<string, Record<string, Record<string, unknown>>>;
      Parameters?: Record<string, { Default?: unknown }>;
    };
    const refs: Record<string, Value> = {
      'AWS::Partition': account.partition,
      'AWS::Region': account.region,
      'AWS::AccountId': account.account,
      'AWS::StackName': layer.stackName,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    for (const [name, p] of Object.entries(t.Parameters ?? {})) {
      const given = layer.parameters[name] ?? (p.Default === undefined ? undefined : String(p.Default));
      if (given === undefined) throw new Error(`${layer.layer}: parameter ${name} has no sample value`);
      refs[name] =
        (p as { Type?: string }).Type === 'CommaDelimitedList' && typeof given === 'string' ? given.split(',') : given;
    }
    const physical = new Map<string, Physical>();
    const resolving = new Set<string>();
    const scope: ResolveScope = {
      refs: new Proxy(refs, {
        get: (target, name: string) => target[name] ?? physicalOf(name)?.ref,
      }),
      getAtt: (logicalId, attribute) => {
        const p = physicalOf(logicalId);
        const value = p?.attrs[attribute];
        if (value === undefined) throw new Error(`${layer.layer}: no sample for ${logicalId}.${attribute}`);
        return value;
      },
      imports: exports,
      conditions: t.Conditions ?? {},
      mappings: t.Mappings ?? {},
    };
    const physicalOf = (logicalId: string): Physical | undefined => {
      const resource = t.Resources?.[logicalId];
      if (!resource) return undefined;
      const known = physical.get(logicalId);
      if (known) return known;
      if (resolving.has(logicalId)) throw new Error(`${layer.layer}: ${logicalId} refers to itself`);
      resolving.add(logicalId);
      const generator = GENERATORS[resource.Type];
      if (!generator)
        throw new Error(`no sample generator for ${resource.Type}: add one to iam-check/sample-resources.ts`);
      const made = generator({
        logicalId,
        stackName: layer.stackName,
        prop: (name) => resolve(resource.Properties?.[name], scope),
        arn: (service, rest, region = true) =>
          `arn:${account.partition}:${service}:${region ? account.region : ''}:${account.account}:${rest}`,
        global: (service, rest) => `arn:${account.partition}:${service}:::${rest}`,
        id: (prefix) => `${prefix}-${hex(`${layer.stackName}/${logicalId}`, 17)}`,
        generatedName: (max) => {
          const suffix = hex(`${layer.stackName}/${logicalId}`, 12).toUpperCase();
          const base = `${layer.stackName}-${logicalId}`.slice(0, Math.max(1, max - suffix.length - 1));
          return `${base}-${suffix}`;
        },
      });
      resolving.delete(logicalId);
      physical.set(logicalId, made);
      return made;
    };
    for (const logicalId of Object.keys(t.Resources ?? {})) {
      const made = physicalOf(logicalId) as Physical;
      const arn = made.arns[0];
      if (arn) {
        registry.set(made.ref, arn);
        for (const value of Object.values(made.attrs))
          if (/^(arn:|[a-z]+-[0-9a-f]{8,}$)/.test(value)) registry.set(value, arn);
        for (const own of made.arns) registry.set(own, own);
      }
    }
    for (const [logicalId, resource] of Object.entries(t.Resources ?? {})) {
      const made = physical.get(logicalId) as Physical;
      const properties = resolve(resource.Properties ?? {}, scope) as Record<string, unknown>;
      const referenced = new Set<string>();
      walkStrings(properties, (s) => {
        for (const part of s.split(',')) {
          const hit = registry.get(part);
          if (hit && !made.arns.includes(hit)) referenced.add(hit);
        }
      });
      if (resource.Type === 'AWS::IAM::Role') {
        const trust = properties.AssumeRolePolicyDocument as { Statement?: { Principal?: { Service?: string } }[] };
        const service = trust?.Statement?.[0]?.Principal?.Service;
        if (service && made.arns[0]) roleTrust[made.arns[0]] = service;
      }
      resources.push({
        layer: layer.layer,
        stackName: layer.stackName,
        logicalId,
        type: resource.Type,
        properties,
        rawProperties: resource.Properties ?? {},
        arns: made.arns,
        referenced: [...referenced],
        tags: layer.tags,
      });
    }
    for (const output of Object.values(t.Outputs ?? {})) {
      if (!output.Export) continue;
      if (output.Condition && !conditionValue(output.Condition, scope)) continue;
      exports[String(resolve(output.Export.Name, scope))] = String(resolve(output.Value, scope));
    }
  }
  return { account, resources, exports, roleTrust };
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) walkStrings(v, visit);
}

/**
 * The SAR resource types (`service/type`) an ARN has, among the types of its own service. Some formats are
 * catch-alls (ECS task definitions are `arn:...:ecs:region:account:.*`): only the most specific formats that match
 * count, so a service ARN is a `service`, not also a `task-definition`.
 */
export function typesOfArn(arn: string): string[] {
  const service = arn.split(':')[2] ?? '';
  const resources = referenceData().services[service]?.Resources ?? {};
  const matches = Object.entries(resources)
    .map(([r, spec]) => ({ type: `${service}/${r}`, length: Math.max(...spec.ARNFormats.map((f) => f.length)) }))
    .filter(({ type }) => arnHasType(arn, type));
  const best = Math.max(...matches.map((m) => m.length));
  return matches.filter((m) => m.length === best).map((m) => m.type);
}
