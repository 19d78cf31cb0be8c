import { isJsonObject } from './json-value.js';

/**
 * The JSON Schema keywords that a hand-written editor schema for a config file uses. The functions below let tests
 * keep such a schema in step with its reader and its docs.
 */
export interface SchemaNode {
  $ref?: string | undefined;
  $defs?: Record<string, SchemaNode>;
  default?: unknown;
  pattern?: string;
  maxLength?: number;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  oneOf?: SchemaNode[];
  required?: string[];
}

/** `node` with its `$ref` (`#/$defs/<name>` of `root`) followed; the node's own keywords win over the target's. */
export function resolveSchemaRef(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const target = root.$defs?.[node.$ref.replace('#/$defs/', '')];
  if (!target) throw new Error(`${node.$ref} is not in the schema's $defs`);
  return { ...resolveSchemaRef(root, target), ...node, $ref: undefined };
}

/** A `default` the schema declares, and the value found at the same place. */
export interface SchemaDefault {
  /** Where, as `.services.shop.replicas` (`''` for the root). */
  path: string;
  declared: unknown;
  actual: unknown;
}

/**
 * Every `default` the schema declares at a place where `value` has something, with what it has there: to check that
 * the schema declares the defaults a reader fills in, pass the reader's output.
 */
export function schemaDefaults(root: SchemaNode, value: unknown): SchemaDefault[] {
  const found: SchemaDefault[] = [];
  const visit = (node: SchemaNode, actual: unknown, path: string): void => {
    const resolved = resolveSchemaRef(root, node);
    if (resolved.default !== undefined) found.push({ path, declared: resolved.default, actual });
    if (!isJsonObject(actual)) return;
    const properties = resolved.properties ?? {};
    const others = typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined;
    for (const [key, child] of Object.entries(actual)) {
      const schema = Object.hasOwn(properties, key) ? properties[key] : others;
      if (schema) visit(schema, child, `${path}.${key}`);
    }
  };
  visit(root, value, '');
  return found;
}

/** Every property name the schema declares at any depth: in `properties`, through `$ref`, `additionalProperties` and `oneOf`. */
export function schemaPropertyNames(root: SchemaNode): Set<string> {
  const names = new Set<string>();
  const followed = new Set<string>();
  const visit = (node: SchemaNode): void => {
    // Each definition is followed once: enough for names, and a recursive schema ends.
    const follow = node.$ref !== undefined && !followed.has(node.$ref);
    if (node.$ref !== undefined) followed.add(node.$ref);
    const resolved = follow ? resolveSchemaRef(root, node) : { ...node, $ref: undefined };
    for (const [key, child] of Object.entries(resolved.properties ?? {})) {
      names.add(key);
      visit(child);
    }
    if (typeof resolved.additionalProperties === 'object') visit(resolved.additionalProperties);
    for (const branch of resolved.oneOf ?? []) visit(branch);
  };
  visit(root);
  return names;
}
