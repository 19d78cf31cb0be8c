/**
 * IAM identity-policy evaluation, as AWS documents it, for the policies the synthesized roles carry: an explicit
 * Deny in any statement wins, else an Allow that matches action, resource and every condition, else the implicit
 * deny. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * Supported: Action/NotAction, Resource/NotResource with `*` and `?` wildcards (actions case-insensitive, ARNs
 * case-sensitive), and the String, Arn and Bool condition operators with `IfExists` and the `ForAnyValue:` /
 * `ForAllValues:` set qualifiers. A condition this evaluator cannot judge (another operator) counts as not matched
 * in an Allow and as matched in a Deny, so an unknown condition can only make the proof fail, never pass.
 */

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

/** One API call as IAM sees it: the action, the resource ARN (`*` when the action has no resource types), context keys. */
export interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

export type Decision =
  | { type: 'allowed'; by: Statement }
  | { type: 'explicit-deny'; by: Statement }
  | { type: 'implicit-deny' };

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM's wildcard match: `*` any run of characters, `?` one character; everything else literal. */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'is' : 's').test(value);
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => globMatch(p, action, true));
  return list(statement.Action).some((p) => globMatch(p, action, true));
}

function resourceMatches(statement: Statement, resource: string): boolean {
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => globMatch(p, resource));
  return list(statement.Resource).some((p) => globMatch(p, resource));
}

type Judge = (policyValue: string, requestValue: string) => boolean;
const JUDGES: Record<string, { judge: Judge; negated: boolean }> = {
  StringEquals: { judge: (p, r) => p === r, negated: false },
  StringNotEquals: { judge: (p, r) => p === r, negated: true },
  StringEqualsIgnoreCase: { judge: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { judge: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  StringLike: { judge: (p, r) => globMatch(p, r), negated: false },
  StringNotLike: { judge: (p, r) => globMatch(p, r), negated: true },
  ArnEquals: { judge: (p, r) => p === r, negated: false },
  ArnNotEquals: { judge: (p, r) => p === r, negated: true },
  ArnLike: { judge: (p, r) => globMatch(p, r), negated: false },
  ArnNotLike: { judge: (p, r) => globMatch(p, r), negated: true },
  Bool: { judge: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

/**
 * One condition operator block. A missing key fails a positive operator and satisfies a negated one or any
 * `...IfExists`. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
function operatorHolds(
  rawOperator: string,
  block: Record<string, string | string[] | boolean>,
  context: Record<string, string | string[]>,
): boolean | 'unknown' {
  let operator = rawOperator;
  let qualifier: 'any' | 'all' | undefined;
  if (operator.startsWith('ForAnyValue:')) [qualifier, operator] = ['any', operator.slice('ForAnyValue:'.length)];
  else if (operator.startsWith('ForAllValues:'))
    [qualifier, operator] = ['all', operator.slice('ForAllValues:'.length)];
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const entry = JUDGES[operator];
  if (!entry) return 'unknown';
  for (const [rawKey, rawValues] of Object.entries(block)) {
    const policyValues = (Array.isArray(rawValues) ? rawValues : [rawValues]).map(String);
    const key = Object.keys(context).find((k) => k.toLowerCase() === rawKey.toLowerCase());
    const requestValue = key === undefined ? undefined : context[key];
    if (requestValue === undefined) {
      if (qualifier === 'all') continue; // ForAllValues over an empty set is true
      if (ifExists || entry.negated) continue;
      return false;
    }
    const values = Array.isArray(requestValue) ? requestValue : [requestValue];
    const one = (r: string) => {
      const hit = policyValues.some((p) => entry.judge(p, r));
      return entry.negated ? !hit : hit;
    };
    const ok = qualifier === 'all' ? values.every(one) : values.some(one);
    if (!ok) return false;
  }
  return true;
}

function conditionsHold(statement: Statement, context: Record<string, string | string[]>): boolean | 'unknown' {
  let unknown = false;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const holds = operatorHolds(operator, block, context);
    if (holds === false) return false;
    if (holds === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

export function statementsOf(documents: PolicyDocument[]): Statement[] {
  return documents.flatMap((d) => (Array.isArray(d.Statement) ? d.Statement : [d.Statement]));
}

/** IAM's decision for one request against a role's identity policies. */
export function evaluate(documents: PolicyDocument[], request: Request): Decision {
  const context = request.context ?? {};
  const statements = statementsOf(documents);
  const applies = (s: Statement) => actionMatches(s, request.action) && resourceMatches(s, request.resource);
  for (const s of statements) {
    if (s.Effect !== 'Deny' || !applies(s)) continue;
    if (conditionsHold(s, context) !== false) return { type: 'explicit-deny', by: s };
  }
  for (const s of statements) {
    if (s.Effect !== 'Allow' || !applies(s)) continue;
    if (conditionsHold(s, context) === true) return { type: 'allowed', by: s };
  }
  return { type: 'implicit-deny' };
}
