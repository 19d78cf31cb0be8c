export { closestName } from './did-you-mean.js';
export { IssueList, type IssueSink } from './issue-sink.js';
export { childPath, isPathWithin } from './json-path.js';
export {
  resolveSchemaRef,
  type SchemaDefault,
  type SchemaNode,
  schemaDefaults,
  schemaPropertyNames,
} from './json-schema.js';
export {
  findJsonSyntaxError,
  type JsonParseResult,
  type JsonSyntaxProblem,
  parseJson,
  readJsonText,
} from './json-text.js';
export { describe, isJsonObject, type JsonObject } from './json-value.js';
export { belongsIn, type ChoiceListNames, type IntegerSpec, ObjectFields } from './object-fields.js';
