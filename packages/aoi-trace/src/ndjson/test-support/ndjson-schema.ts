// The published JSON Schema of an NDJSON line, compiled with ajv (draft 2020-12), and the real reader's answer for
// one line, so the schema tests can hold both to the same lines.

import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { TraceError } from '../../errors.js';
import { NDJSON_HEADER_DEFAULTS } from '../ndjson-format.js';
import { parseNdjsonLine } from '../parse-ndjson-line.js';
import { TickValidator } from '../tick-validator.js';

export type JsonSchema = { readonly [key: string]: unknown };

export const schemaPath = new URL('../../../aoi-trace-ndjson.schema.json', import.meta.url);
export const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JsonSchema;

// strict: an unknown keyword or a type-less range in the schema is a compile error, not a silently ignored rule.
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** The schema's errors for one line, each as the `$.a[0].b` path the reader's errors use. */
export function schemaErrors(line: string): string[] | undefined {
  if (validate(JSON.parse(line))) return undefined;
  return (validate.errors ?? []).map(errorPath);
}

function errorPath(error: ErrorObject): string {
  const missing =
    error.keyword === 'required' ? `/${(error.params as { missingProperty: string }).missingProperty}` : '';
  return `$${`${error.instancePath}${missing}`.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;
}

/**
 * What the real reader (NdjsonReader, the live ingest) says about `line` as the first line of a trace (a header) or
 * the first tick after `header`: parseNdjsonLine, then TickValidator against an empty world.
 */
export function readerError(line: string, header = NDJSON_HEADER_DEFAULTS): TraceError | undefined {
  try {
    const parsed = parseNdjsonLine(line, 1);
    if (parsed.type === 'header') return undefined;
    return new TickValidator(header).check(parsed.record, 1);
  } catch (error) {
    if (error instanceof TraceError) return error;
    throw error;
  }
}

/** `$ref` followed to its `$defs` entry (the name too, so a test can tell which definitions it reached). */
export function resolve(node: JsonSchema): { node: JsonSchema; def?: string } {
  const ref = node.$ref;
  if (typeof ref !== 'string') return { node };
  const def = ref.replace('#/$defs/', '');
  return { node: (schema.$defs as Record<string, JsonSchema>)[def]!, def };
}

/**
 * The keys the real parser reads from each object of `line`, by object path (`$`, `$.spawns[]`, `$.resync`, ...):
 * JSON.parse's result is wrapped in proxies that note every property read, also of keys that are absent.
 */
export function keysReadByParser(line: string): Map<string, Set<string>> {
  const read = new Map<string, Set<string>>();
  const wrap = (value: unknown, path: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        const item = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return item;
        if (Array.isArray(target)) return /^\d+$/.test(key) ? wrap(item, `${path}[]`) : item;
        const keys = read.get(path) ?? new Set<string>();
        read.set(path, keys.add(key));
        return wrap(item, `${path}.${key}`);
      },
    });
  };
  const parse = JSON.parse;
  JSON.parse = (text: string) => wrap(parse(text), '$');
  try {
    parseNdjsonLine(line, 1);
  } finally {
    JSON.parse = parse;
  }
  return read;
}
