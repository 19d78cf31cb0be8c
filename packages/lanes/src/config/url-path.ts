import { describe, type ObjectFields } from '@lanes/json-config';

/** A path a request line can carry: starts with `/`, no whitespace or fragment; a query only where it makes sense. */
export function isUrlPath(value: string, query: boolean): boolean {
  return value.startsWith('/') && !(query ? /[\s#]/ : /[\s#?]/).test(value);
}

/** The rule `isUrlPath` checks, for messages. */
export function pathRule(query: boolean): string {
  return `a path starting with "/" (${query ? 'no spaces or "#"' : 'no spaces, "?" or "#"'})`;
}

/** An optional path field; `undefined` when absent or invalid (which is reported). */
export function readUrlPath(fields: ObjectFields, key: string, query: boolean): string | undefined {
  const value = fields.get(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isUrlPath(value, query)) return value;
  fields.report(fields.at(key), `expected ${pathRule(query)}, got ${describe(value)}`);
  return undefined;
}
