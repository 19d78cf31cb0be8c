/**
 * Resolves the CloudFormation intrinsic functions our templates use to concrete sample values, so that policy ARNs
 * and resource names can be compared as strings. Anything it cannot resolve throws: a silently unresolved ARN would
 * let a wrong policy pass.
 */

export type Value = string | string[];

export interface ResolveScope {
  /** Parameter values, and the pseudo parameters (`AWS::Partition`, `AWS::Region`, `AWS::AccountId`, `AWS::StackName`). */
  refs: Record<string, Value>;
  /** `Fn::GetAtt` of a resource of the same template. */
  getAtt?: (logicalId: string, attribute: string) => string;
  /** `Fn::ImportValue` by export name. */
  imports?: Record<string, string>;
  conditions?: Record<string, unknown>;
  mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export const NO_VALUE = Symbol('AWS::NoValue');

type Json = unknown;

function str(value: Json, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
}

function strList(value: Json, where: string): string[] {
  if (Array.isArray(value)) return value.map((v) => str(v, where));
  if (typeof value === 'string') return value.split(',');
  throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
}

/** A condition's truth, from `Conditions` (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). */
export function conditionValue(name: string, scope: ResolveScope): boolean {
  const expression = scope.conditions?.[name];
  if (expression === undefined) throw new Error(`unknown condition ${name}`);
  return truth(expression, scope);
}

function truth(expression: Json, scope: ResolveScope): boolean {
  const e = expression as Record<string, Json>;
  if ('Fn::Equals' in e) {
    const [a, b] = e['Fn::Equals'] as Json[];
    return JSON.stringify(resolve(a, scope)) === JSON.stringify(resolve(b, scope));
  }
  if ('Fn::Not' in e) return !truth((e['Fn::Not'] as Json[])[0], scope);
  if ('Fn::And' in e) return (e['Fn::And'] as Json[]).every((x) => truth(x, scope));
  if ('Fn::Or' in e) return (e['Fn::Or'] as Json[]).some((x) => truth(x, scope));
  if ('Condition' in e) return conditionValue(str(e.Condition, 'Condition'), scope);
  throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
}

function sub(template: string, vars: Record<string, Json>, scope: ResolveScope): string {
  return template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
    if (name in vars) return str(resolve(vars[name], scope), `Fn::Sub ${name}`);
    if (name.includes('.')) {
      const [logicalId, attribute] = name.split('.', 2) as [string, string];
      if (!scope.getAtt) throw new Error(`Fn::Sub ${name}: no attributes in scope`);
      return scope.getAtt(logicalId, attribute);
    }
    const ref = scope.refs[name];
    if (ref === undefined) throw new Error(`Fn::Sub: unknown reference ${name}`);
    return Array.isArray(ref) ? ref.join(',') : ref;
  });
}

/** The value of a template fragment with every intrinsic function replaced; `NO_VALUE` entries are dropped. */
export function resolve(value: Json, scope: ResolveScope): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, Json>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = o[key];
    switch (key) {
      case 'Ref': {
        const name = str(arg, 'Ref');
        if (name === 'AWS::NoValue') return NO_VALUE;
        const ref = scope.refs[name];
        if (ref === undefined) throw new Error(`Ref: unknown ${name}`);
        return ref;
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, Json];
        const resolved = resolve(parts, scope);
        return strList(resolved, 'Fn::Join').join(separator);
      }
      case 'Fn::Sub':
        if (typeof arg === 'string') return sub(arg, {}, scope);
        return sub(str((arg as Json[])[0], 'Fn::Sub'), (arg as Json[])[1] as Record<string, Json>, scope);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = (typeof arg === 'string' ? arg.split('.', 2) : arg) as [string, string];
        if (!scope.getAtt) throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: no attributes in scope`);
        return scope.getAtt(logicalId, attribute);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg as [string, Json, Json];
        return resolve(conditionValue(condition, scope) ? whenTrue : whenFalse, scope);
      }
      case 'Fn::Select': {
        const [index, items] = arg as [Json, Json];
        const list = resolve(items, scope);
        const i = Number(resolve(index, scope));
        if (!Array.isArray(list) || list[i] === undefined) throw new Error(`Fn::Select ${i} out of range`);
        return list[i];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, Json];
        return str(resolve(source, scope), 'Fn::Split').split(separator);
      }
      case 'Fn::ImportValue': {
        const name = str(resolve(arg, scope), 'Fn::ImportValue');
        const imported = scope.imports?.[name];
        if (imported === undefined) throw new Error(`Fn::ImportValue: no export ${name}`);
        return imported;
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as Json[]).map((x) => str(resolve(x, scope), 'Fn::FindInMap'));
        const found = scope.mappings?.[map as string]?.[top as string]?.[second as string];
        if (found === undefined) throw new Error(`Fn::FindInMap ${map}/${top}/${second}`);
        return found;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${str(scope.refs['AWS::Region'], 'region')}${z}`);
      case 'Fn::Cidr': {
        const [, count] = arg as [Json, Json];
        return Array.from({ length: Number(resolve(count, scope)) }, (_v, i) => `10.0.${i * 16}.0/20`);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(o)
      .map(([k, v]) => [k, resolve(v, scope)] as const)
      .filter(([, v]) => v !== NO_VALUE),
  );
}
