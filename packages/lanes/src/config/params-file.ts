import { childPath, closestName, describe, isJsonObject, ObjectFields, readJsonText } from '@lanes/json-config';
import { LanesConfigError } from '../errors.js';
import { FileIssues } from './file-issues.js';

/** CloudFormation's rule for parameter names (logical IDs). */
const PARAMETER_KEY = /^[A-Za-z0-9]{1,255}$/;

const TEMPLATE_CONFIG_FIELDS = ['Parameters', 'Tags', 'StackPolicy'] as const;
const CLI_ENTRY_FIELDS = ['ParameterKey', 'ParameterValue', 'UsePreviousValue', 'ResolvedValue'] as const;

const FORMATS =
  'use [{ "ParameterKey": "Env", "ParameterValue": "dev" }, ...] or { "Parameters": { "Env": "dev", ... } }';

class ParamsReader {
  readonly values: Record<string, string> = {};
  private readonly firstPath = new Map<string, string>();

  constructor(private readonly sink: FileIssues) {}

  /** Numbers and booleans become strings, as CloudFormation does; anything else cannot be a parameter value. */
  add(key: unknown, value: unknown, keyPath: string, valuePath: string): void {
    if (typeof key !== 'string' || !PARAMETER_KEY.test(key)) {
      this.sink.report(keyPath, `expected a parameter name of letters and digits only, got ${describe(key)}`);
      return;
    }
    const first = this.firstPath.get(key);
    if (first !== undefined) {
      this.sink.report(keyPath, `parameter ${key} is already given at ${first}; give each parameter once`);
      return;
    }
    if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
    if (typeof value !== 'string') {
      const hint = Array.isArray(value) ? ' (for a CommaDelimitedList, join the items with commas)' : '';
      this.sink.report(valuePath, `expected a string (parameter values are strings), got ${describe(value)}${hint}`);
      return;
    }
    this.firstPath.set(key, keyPath);
    this.values[key] = value;
  }

  /** `aws cloudformation create-stack --parameters file://...`, or `deploy --parameter-overrides`' `["Key=Value"]`. */
  list(entries: unknown[]): void {
    entries.forEach((entry, index) => {
      const path = childPath('', index);
      if (typeof entry === 'string') {
        const equals = entry.indexOf('=');
        if (equals > 0) this.add(entry.slice(0, equals), entry.slice(equals + 1), path, path);
        else this.sink.report(path, `expected "Key=Value", got ${describe(entry)}`);
        return;
      }
      const fields = ObjectFields.open(entry, path, this.sink, CLI_ENTRY_FIELDS);
      if (!fields) return;
      const usePrevious = fields.get('UsePreviousValue');
      if (usePrevious !== undefined && typeof usePrevious !== 'boolean') {
        fields.report(fields.at('UsePreviousValue'), `expected true or false, got ${describe(usePrevious)}`);
        return;
      }
      fields.string('ResolvedValue');
      if (!fields.has('ParameterKey')) {
        fields.missing('ParameterKey', 'missing; give the parameter name');
        return;
      }
      if (usePrevious === true) {
        // The value lives in the deployed stack: nothing to use locally.
        if (fields.has('ParameterValue')) {
          fields.report(
            fields.at('ParameterValue'),
            'give either ParameterValue or "UsePreviousValue": true, not both',
          );
        }
        return;
      }
      if (!fields.has('ParameterValue')) {
        fields.missing('ParameterValue', 'missing; give the value (a string), or "UsePreviousValue": true');
        return;
      }
      const key = fields.get('ParameterKey');
      this.add(key, fields.get('ParameterValue'), fields.at('ParameterKey'), fields.at('ParameterValue'));
    });
  }

  /** CodePipeline's template configuration file: `{ "Parameters": {...}, "Tags": {...}, "StackPolicy": {...} }`. */
  templateConfiguration(value: Record<string, unknown>): void {
    const known = Object.keys(value).some((key) => (TEMPLATE_CONFIG_FIELDS as readonly string[]).includes(key));
    const misspelled = Object.keys(value).some((key) => closestName(key, TEMPLATE_CONFIG_FIELDS) !== undefined);
    if (!known && !misspelled && Object.keys(value).length > 0) {
      this.sink.report('', `expected the parameters under "Parameters": { "Parameters": { ... } }; ${FORMATS}`);
      return;
    }
    const fields = ObjectFields.open(value, '', this.sink, TEMPLATE_CONFIG_FIELDS);
    if (!fields) return;
    // Tags and the stack policy matter to CloudFormation only; they are accepted and left alone.
    for (const key of ['Tags', 'StackPolicy']) {
      if (fields.has(key) && !isJsonObject(fields.get(key))) {
        fields.report(fields.at(key), `expected an object, got ${describe(fields.get(key))}`);
      }
    }
    const parameters = fields.get('Parameters');
    if (parameters === undefined) return;
    if (!isJsonObject(parameters)) {
      fields.report('Parameters', `expected an object of parameter values by name, got ${describe(parameters)}`);
      return;
    }
    for (const [key, raw] of Object.entries(parameters)) {
      const path = childPath('Parameters', key);
      this.add(key, raw, path, path);
    }
  }
}

/** Reads a parameter file into `sink`'s issues; the parameters found, even when some were wrong. */
export function readParamsFile(text: string, sink: FileIssues): Record<string, string> {
  const parsed = readJsonText(text, sink);
  if (!parsed) return {};
  const reader = new ParamsReader(sink);
  if (Array.isArray(parsed.value)) reader.list(parsed.value);
  else if (isJsonObject(parsed.value)) reader.templateConfiguration(parsed.value);
  else sink.report('', `expected a list or an object, got ${describe(parsed.value)}; ${FORMATS}`);
  return reader.values;
}

/**
 * The parameters of a CloudFormation parameter file (`params/*.json`), in any format the AWS tools accept:
 * `create-stack`'s `[{ "ParameterKey", "ParameterValue" }]`, CodePipeline's `{ "Parameters": {...} }` (with
 * optional `Tags` and `StackPolicy`, accepted and ignored) and `deploy --parameter-overrides`' `["Key=Value"]`.
 * Throws a `LanesConfigError` listing every problem, each naming `file`.
 */
export function parseParamsFile(text: string, file: string): Record<string, string> {
  const sink = new FileIssues(file, []);
  const values = readParamsFile(text, sink);
  if (sink.all.length > 0) throw new LanesConfigError(sink.all);
  return values;
}
