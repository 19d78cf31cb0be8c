import { describe, expect, it } from 'vitest';
import { resolveSchemaRef, type SchemaNode, schemaDefaults, schemaPropertyNames } from './json-schema.js';

const schema: SchemaNode = {
  properties: {
    $schema: {},
    port: { default: 8080 },
    services: { additionalProperties: { $ref: '#/$defs/service' } },
  },
  $defs: {
    service: {
      properties: { weight: { default: 0 }, lanes: { additionalProperties: { $ref: '#/$defs/lane' } } },
      additionalProperties: false,
    },
    lane: {
      properties: { sticky: { oneOf: [{ properties: { header: {} } }, { properties: { cookie: {} } }] } },
      default: {},
    },
    tree: { properties: { children: { additionalProperties: { $ref: '#/$defs/tree' } } } },
  },
};

describe('resolveSchemaRef', () => {
  it("follows a $ref into $defs, keeping the node's own keywords on top", () => {
    const resolved = resolveSchemaRef(schema, { $ref: '#/$defs/service', additionalProperties: true });
    expect(resolved.properties).toHaveProperty('weight');
    expect(resolved.additionalProperties).toBe(true);
    expect(resolved.$ref).toBeUndefined();
  });

  it('names a $ref that goes nowhere', () => {
    expect(() => resolveSchemaRef(schema, { $ref: '#/$defs/nope' })).toThrow('#/$defs/nope');
  });
});

describe('schemaDefaults', () => {
  it('pairs each default with the value at the same place, where the value has one', () => {
    const value = { port: 8080, services: { shop: { weight: 3, lanes: { gray: { x: 1 } } } } };
    expect(schemaDefaults(schema, value)).toEqual([
      { path: '.port', declared: 8080, actual: 8080 },
      { path: '.services.shop.weight', declared: 0, actual: 3 },
      { path: '.services.shop.lanes.gray', declared: {}, actual: { x: 1 } },
    ]);
    expect(schemaDefaults(schema, {})).toEqual([]);
  });
});

describe('schemaPropertyNames', () => {
  it('collects names through $ref, additionalProperties and oneOf', () => {
    expect([...schemaPropertyNames(schema)].sort()).toEqual(
      ['$schema', 'cookie', 'header', 'lanes', 'port', 'services', 'sticky', 'weight'].sort(),
    );
  });

  it('ends on a recursive schema', () => {
    expect([...schemaPropertyNames({ $ref: '#/$defs/tree', $defs: schema.$defs! })]).toEqual(['children']);
  });
});
