import { readFileSync } from 'node:fs';
import { resolveSchemaRef, type SchemaNode, schemaDefaults, schemaPropertyNames } from '@lanes/json-config';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from './config.js';

/** gateway.schema.json is written by hand for editors; these tests keep it in step with the parser. */
const schema = JSON.parse(readFileSync(new URL('../gateway.schema.json', import.meta.url), 'utf8')) as SchemaNode;
const example = JSON.parse(readFileSync(new URL('../../../examples/gateway/gateway.json', import.meta.url), 'utf8'));
const docs = readFileSync(new URL('../../../docs/gateway.md', import.meta.url), 'utf8');

const resolve = (node: SchemaNode): SchemaNode => resolveSchemaRef(schema, node);

/** Every `default` in the schema, checked against the parsed value at the same place. */
function compareDefaults(value: unknown, seen: string[]): void {
  for (const { path, declared, actual } of schemaDefaults(schema, value)) {
    expect(actual, path).toEqual(declared);
    seen.push(path);
  }
}

/** Fields with no default: the parsed output has them only when the file does. */
const OPTIONAL: ReadonlySet<string> = new Set(['stickiness', 'tokenFile', 'tokens']);

/** Every object in the parsed output has exactly the properties the schema declares (defaults fill the rest). */
function compareFields(node: SchemaNode, value: unknown, path: string): void {
  const resolved = resolve(node);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  if (resolved.oneOf) {
    const keys = Object.keys(record).sort().join(',');
    const branch = resolved.oneOf.map(resolve).find((b) => Object.keys(b.properties ?? {}).join(',') === keys);
    expect(branch, `${path} has fields ${keys}`).toBeDefined();
    return;
  }
  if (resolved.properties && resolved.additionalProperties === false) {
    const declared = Object.keys(resolved.properties).filter((key) => key !== '$schema' && !OPTIONAL.has(key));
    const present = Object.keys(record).filter((key) => !OPTIONAL.has(key));
    expect(present.sort(), path).toEqual(declared.sort());
  }
  for (const [key, child] of Object.entries(record)) {
    const childSchema =
      resolved.properties?.[key] ??
      (typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined);
    if (childSchema) compareFields(childSchema, child, `${path}.${key}`);
  }
}

describe('gateway.schema.json', () => {
  const config = parseGatewayConfig({
    listen: { port: 8080 },
    admin: { port: 9901 },
    admission: { tokens: { keyFile: 'lane-token.key' } },
    services: {
      shop: {
        stickiness: { cookie: 'lane' },
        lanes: { default: { replicas: [] }, gray: { replicas: [] } },
      },
    },
  });

  it('declares the defaults the parser fills in', () => {
    const seen: string[] = [];
    compareDefaults(config, seen);
    expect(seen).toEqual(
      expect.arrayContaining([
        '.listen.host',
        '.carriers',
        '.traceContext.level',
        '.timeouts.upstreamBodyMs',
        '.limits.maxHeaderBytes',
        '.leaks.maxTraces',
        '.services.shop.match.pathPrefix',
        '.services.shop.healthCheck.unhealthyThreshold',
        '.services.shop.passiveHealth.ejectMs',
        '.services.shop.lanes.default.weight',
        '.services.shop.lanes.gray.weight',
        '.admission.trusted',
        '.admission.trustedHops',
        '.admission.openLanes',
        '.admission.tokens.maxTtlMs',
      ]),
    );
    expect(seen).toHaveLength(34);
  });

  it('declares exactly the fields the parser knows', () => {
    compareFields(schema, config, '');
    compareFields(schema, parseGatewayConfig(example), '');
  });

  it('requires what the parser requires', () => {
    expect(schema.required?.sort()).toEqual(['admin', 'listen', 'services']);
    for (const key of schema.required ?? []) {
      const raw = { ...example };
      delete raw[key];
      expect(() => parseGatewayConfig(raw), key).toThrow(`${key}: missing`);
    }
  });
});

describe('docs/gateway.md', () => {
  it('shows the example file as it is', () => {
    const shown = /This is \[`examples\/gateway\/gateway\.json`\][\s\S]*?```json\n([\s\S]*?)```/.exec(docs);
    expect(JSON.parse(shown![1]!)).toEqual(example);
  });

  it('documents every field of the schema', () => {
    const fields = schemaPropertyNames(schema);
    const undocumented = [...fields].filter((field) => !docs.includes(`\`${field}`) && !docs.includes(`.${field}\``));
    expect(undocumented).toEqual([]);
  });
});
