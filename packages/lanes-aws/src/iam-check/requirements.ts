import { type Deployment, type SampleResource, typesOfArn } from './deployment.js';
import type { PolicyDocument, Request } from './policy-eval.js';
import { evaluate } from './policy-eval.js';
import { actionInfo, type Operation, PROPERTY_SCOPED, referenceData, SERVICE_LINKED_ROLES } from './reference-data.js';

/** One call a role must be allowed to make, and where the requirement comes from. */
export interface Requirement extends Request {
  /** e.g. `app-lane create: AWS::ECS::TaskDefinition TaskDefinition (handler create)`. */
  why: string;
}

/** A handler permission the proof does not require, and why. */
export interface Waived {
  type: string;
  action: string;
  reason: string;
}

export type StackOperation = 'create' | 'update' | 'delete';

/**
 * The handlers CloudFormation runs for a stack operation. An update may also add, replace or remove resources
 * (a changed parameter, a condition that flips), so it needs the create and delete handlers too; after a create or
 * update CloudFormation reads the resource back.
 */
const HANDLERS: Record<StackOperation, Operation[]> = {
  create: ['create', 'read'],
  update: ['update', 'read', 'create', 'delete'],
  delete: ['delete'],
};

function hasKey(value: unknown, keys: string[]): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, keys));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => keys.includes(k) || hasKey(v, keys));
  }
  return false;
}

/** Request context of a call on a resource of the stack: its stack tags, as request tags when CloudFormation sets them. */
function tagContext(resource: SampleResource, handler: Operation): Record<string, string | string[]> {
  const data = referenceData().types[resource.type];
  const keys = Object.keys(resource.tags);
  if (!data?.taggable || keys.length === 0) return {};
  const context: Record<string, string | string[]> = {};
  const tagging = handler === 'create' || handler === 'update';
  for (const [k, v] of Object.entries(resource.tags)) {
    if (tagging) context[`aws:RequestTag/${k}`] = v;
    if (handler !== 'create') context[`aws:ResourceTag/${k}`] = v;
  }
  if (tagging) context['aws:TagKeys'] = keys;
  return context;
}

function serviceLinkedRoleArn(deployment: Deployment, serviceName: string, role: string): string {
  const { partition, account } = deployment.account;
  return `arn:${partition}:iam::${account}:role/aws-service-role/${serviceName}/${role}`;
}

/**
 * What the CloudFormation deploy role must be allowed for `operation` on every stack of `layers`: each resource
 * type's handler permissions, placed on the ARNs the Service Authorization Reference authorizes each action on.
 */
export function stackRequirements(
  deployment: Deployment,
  layers: string[],
  operation: StackOperation,
): { required: Requirement[]; waived: Waived[] } {
  const required = new Map<string, Requirement>();
  const waived = new Map<string, Waived>();
  const add = (r: Requirement) => required.set(`${r.action} ${r.resource} ${JSON.stringify(r.context)}`, r);
  for (const resource of deployment.resources.filter((r) => layers.includes(r.layer))) {
    const data = referenceData().types[resource.type];
    if (!data)
      throw new Error(`no handler permissions for ${resource.type}: add it to iam-check/data/cfn-handlers.json`);
    for (const handler of HANDLERS[operation]) {
      const who = `${resource.layer} ${operation}: ${resource.type} ${resource.logicalId} (handler ${handler})`;
      for (const action of data.handlers[handler] ?? []) {
        const scoped = PROPERTY_SCOPED.find((p) => p.type === resource.type && p.actions.includes(action));
        if (scoped && !hasKey(resource.rawProperties, scoped.properties)) {
          waived.set(`${resource.type} ${action}`, {
            type: resource.type,
            action,
            reason: `only with ${scoped.properties.join(' or ')} (${scoped.why}); the template sets none`,
          });
          continue;
        }
        const info = actionInfo(action);
        if (info.type === 'unknown') {
          waived.set(`${resource.type} ${action}`, {
            type: resource.type,
            action,
            reason: 'not an action of the Service Authorization Reference: IAM cannot authorize it, so no policy can',
          });
          continue;
        }
        const context = tagContext(resource, handler);
        if (action.toLowerCase() === 'iam:createservicelinkedrole') {
          const slr = SERVICE_LINKED_ROLES.find((s) => s.type === resource.type);
          if (!slr) throw new Error(`${who}: ${action} for which service? add it to SERVICE_LINKED_ROLES`);
          add({
            action,
            resource: serviceLinkedRoleArn(deployment, slr.serviceName, slr.role),
            context: { 'iam:AWSServiceName': slr.serviceName },
            why: who,
          });
          continue;
        }
        for (const target of targets(resource, info.resourceTypes, who, action)) {
          const trusted = action.toLowerCase() === 'iam:passrole' ? deployment.roleTrust[target] : undefined;
          const passed: Record<string, string> = trusted ? { 'iam:PassedToService': trusted } : {};
          add({ action, resource: target, context: { ...context, ...passed }, why: who });
        }
      }
    }
    if (operation !== 'delete') {
      for (const slr of SERVICE_LINKED_ROLES.filter((s) => s.type === resource.type)) {
        add({
          action: 'iam:CreateServiceLinkedRole',
          resource: serviceLinkedRoleArn(deployment, slr.serviceName, slr.role),
          context: { 'iam:AWSServiceName': slr.serviceName },
          why: `${resource.layer} ${operation}: ${resource.type} ${resource.logicalId} (${slr.doc})`,
        });
      }
    }
  }
  return { required: [...required.values()], waived: [...waived.values()] };
}

/**
 * The ARNs a call is authorized on: `*` for an action without resource types; else the resource's own ARNs of a
 * listed type; else the ARNs its properties name of a listed type (CreateRule is authorized on the listener).
 */
function targets(resource: SampleResource, types: string[], who: string, action: string): string[] {
  if (types.length === 0) return ['*'];
  const ofType = (arns: string[]) => arns.filter((arn) => typesOfArn(arn).some((t) => types.includes(t)));
  const own = ofType(resource.arns);
  if (own.length > 0) return own;
  const referenced = ofType(resource.referenced);
  if (referenced.length > 0) return referenced;
  throw new Error(`${who}: ${action} is authorized on ${types.join(', ')}, and the resource names none of them`);
}

export interface Failure {
  requirement: Requirement;
  decision: string;
}

/** Every requirement the role's policies do not allow, with IAM's decision. */
export function unmet(policies: PolicyDocument[], requirements: Requirement[]): Failure[] {
  const failures: Failure[] = [];
  for (const requirement of requirements) {
    const decision = evaluate(policies, requirement);
    if (decision.type !== 'allowed') {
      failures.push({
        requirement,
        decision:
          decision.type === 'explicit-deny' ? `denied by ${JSON.stringify(decision.by)}` : 'no statement allows it',
      });
    }
  }
  return failures;
}

export function describeFailures(failures: Failure[]): string {
  return failures
    .map(
      (f) =>
        `${f.requirement.action} on ${f.requirement.resource}${
          Object.keys(f.requirement.context ?? {}).length > 0 ? ` ${JSON.stringify(f.requirement.context)}` : ''
        }: ${f.decision}\n    needed by ${f.requirement.why}`,
    )
    .join('\n');
}
