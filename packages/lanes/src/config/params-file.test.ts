import { describe, expect, it } from 'vitest';
import { LanesConfigError } from '../errors.js';
import { parseParamsFile } from './params-file.js';

const FILE = 'params/shop-dev.json';

function issuesOf(text: string): { file: string; path: string; message: string }[] {
  try {
    parseParamsFile(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(LanesConfigError);
    return [...(error as LanesConfigError).issues];
  }
  throw new Error('expected the file to be rejected');
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('parseParamsFile', () => {
  const expected = { ServiceName: 'shop', Env: 'dev', DesiredCount: '2' };

  it("reads the CLI's format", () => {
    const text = json([
      { ParameterKey: 'ServiceName', ParameterValue: 'shop' },
      { ParameterKey: 'Env', ParameterValue: 'dev' },
      { ParameterKey: 'DesiredCount', ParameterValue: '2' },
    ]);
    expect(parseParamsFile(text, FILE)).toEqual(expected);
  });

  it("reads CodePipeline's template configuration, accepting Tags and StackPolicy", () => {
    const text = json({
      Parameters: { ServiceName: 'shop', Env: 'dev', DesiredCount: '2' },
      Tags: { team: 'checkout' },
      StackPolicy: { Statement: [] },
    });
    expect(parseParamsFile(text, FILE)).toEqual(expected);
  });

  it("reads deploy --parameter-overrides' Key=Value list", () => {
    expect(parseParamsFile(json(['ServiceName=shop', 'Env=dev', 'DesiredCount=2']), FILE)).toEqual(expected);
    expect(parseParamsFile(json(['Url=http://x/?a=b']), FILE)).toEqual({ Url: 'http://x/?a=b' });
  });

  it('coerces numbers and booleans to strings, as CloudFormation does', () => {
    expect(parseParamsFile(json({ Parameters: { DesiredCount: 2, CreateNetwork: true } }), FILE)).toEqual({
      DesiredCount: '2',
      CreateNetwork: 'true',
    });
    expect(parseParamsFile(json([{ ParameterKey: 'DesiredCount', ParameterValue: 3 }]), FILE)).toEqual({
      DesiredCount: '3',
    });
  });

  it('skips parameters that keep their previous value: it lives in the deployed stack', () => {
    const text = json([
      { ParameterKey: 'ImageUri', UsePreviousValue: true },
      { ParameterKey: 'Env', ParameterValue: 'dev', UsePreviousValue: false, ResolvedValue: 'dev' },
    ]);
    expect(parseParamsFile(text, FILE)).toEqual({ Env: 'dev' });
  });

  it('accepts empty files of either shape, and a byte-order mark', () => {
    expect(parseParamsFile('[]', FILE)).toEqual({});
    expect(parseParamsFile('{}', FILE)).toEqual({});
    expect(parseParamsFile('{ "Tags": {} }', FILE)).toEqual({});
    expect(parseParamsFile('\uFEFF{ "Parameters": { "Env": "dev" } }', FILE)).toEqual({ Env: 'dev' });
  });

  type Case = [name: string, text: string, path: string, message: string];
  const invalid: Case[] = [
    ['bad JSON', '{\n  "Parameters": {\n    "Env": "dev",\n  }\n}', '', 'invalid JSON at line 4, column 3'],
    ['trailing comma hint', '[1,]', '', 'JSON allows no trailing comma'],
    ['a string', '"Env=dev"', '', 'expected a list or an object, got "Env=dev"; use [{ "ParameterKey"'],
    ['flat object', json({ Env: 'dev' }), '', 'expected the parameters under "Parameters"'],
    ['misspelled Parameters', json({ Parameter: { Env: 'dev' } }), 'Parameter', 'did you mean "Parameters"?'],
    ['Parameters a list', json({ Parameters: [] }), 'Parameters', 'expected an object of parameter values by name'],
    ['unknown top field', json({ Parameters: {}, Outputs: {} }), 'Outputs', 'unknown field "Outputs"'],
    ['Tags a list', json({ Tags: [] }), 'Tags', 'expected an object, got a list'],
    ['object value', json({ Parameters: { Subnets: { a: 1 } } }), 'Parameters.Subnets', 'expected a string'],
    ['list value', json({ Parameters: { Subnets: ['a', 'b'] } }), 'Parameters.Subnets', 'join the items with commas'],
    ['null value', json({ Parameters: { Env: null } }), 'Parameters.Env', 'got null'],
    ['bad key', json({ Parameters: { 'Desired-Count': '1' } }), 'Parameters.Desired-Count', 'letters and digits'],
    ['empty key', json({ Parameters: { '': '1' } }), 'Parameters[""]', 'expected a parameter name'],
    ['entry not an object', json([5]), '[0]', 'expected an object, got 5'],
    ['entry misspelled', json([{ ParameterKey: 'A', ParameterVale: 'x' }]), '[0].ParameterVale', 'did you mean'],
    ['entry without key', json([{ ParameterValue: 'x' }]), '[0].ParameterKey', 'missing; give the parameter name'],
    ['entry without value', json([{ ParameterKey: 'A' }]), '[0].ParameterValue', 'missing; give the value'],
    [
      'value and previous value',
      json([{ ParameterKey: 'A', ParameterValue: 'x', UsePreviousValue: true }]),
      '[0].ParameterValue',
      'not both',
    ],
    [
      'UsePreviousValue text',
      json([{ ParameterKey: 'A', UsePreviousValue: 'yes' }]),
      '[0].UsePreviousValue',
      'true or false',
    ],
    ['key not a string', json([{ ParameterKey: 5, ParameterValue: 'x' }]), '[0].ParameterKey', 'got 5'],
    ['list value in CLI form', json([{ ParameterKey: 'A', ParameterValue: [] }]), '[0].ParameterValue', 'a list'],
    ['Key=Value without =', json(['Env']), '[0]', 'expected "Key=Value", got "Env"'],
    ['Key=Value with empty key', json(['=dev']), '[0]', 'expected "Key=Value"'],
    [
      'key given twice',
      json([
        { ParameterKey: 'Env', ParameterValue: 'dev' },
        { ParameterKey: 'Env', ParameterValue: 'prod' },
      ]),
      '[1].ParameterKey',
      'parameter Env is already given at [0].ParameterKey',
    ],
  ];

  it.each(invalid)('refuses %s', (_name, text, path, message) => {
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({ file: FILE, path, message: expect.stringContaining(message) });
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(json([{ ParameterKey: 'A' }, 'B', { ParameterKey: 'C-D', ParameterValue: 'x' }]));
    expect(issues.map((issue) => issue.path)).toEqual(['[0].ParameterValue', '[1]', '[2].ParameterKey']);
  });
});
