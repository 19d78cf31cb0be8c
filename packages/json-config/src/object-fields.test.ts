import { describe, expect, it } from 'vitest';
import { IssueList } from './issue-sink.js';
import { belongsIn, ObjectFields } from './object-fields.js';

interface Issue {
  path: string;
  message: string;
}

/** Opens `value` in a fresh sink; the fields (when it was an object) and the issues reported so far. */
function open(value: unknown, known: readonly string[], elsewhere?: Record<string, string>) {
  const sink = new IssueList<Issue>([], (path, message) => ({ path, message }));
  const fields = ObjectFields.open(value, 'root', sink, known, elsewhere);
  return { fields: fields!, issues: sink.all };
}

describe('ObjectFields.open', () => {
  it('reports a value that is not an object, and gives no fields', () => {
    const sink = new IssueList<Issue>([], (path, message) => ({ path, message }));
    expect(ObjectFields.open([1], 'root', sink, ['a'])).toBeUndefined();
    expect(sink.all).toEqual([{ path: 'root', message: 'expected an object, got a list' }]);
  });

  it('reports an unknown field with the known field it looks like a typo of', () => {
    const { issues } = open({ prot: 1 }, ['host', 'port']);
    expect(issues).toEqual([{ path: 'root.prot', message: 'unknown field "prot" (did you mean "port"?)' }]);
  });

  it('lists the known fields, but not $schema, for an unknown field like none of them', () => {
    const { issues } = open({ zzz: 1 }, ['$schema', 'listen', 'admin']);
    expect(issues).toEqual([{ path: 'root.zzz', message: 'unknown field "zzz"; known fields: listen, admin' }]);
  });

  it('says where a field goes when it is written one object away', () => {
    const { fields, issues } = open({ command: [] }, ['run', 'commands'], { command: belongsIn('run.command') });
    expect(issues).toEqual([
      { path: 'root.command', message: 'unknown field "command" (it belongs in "run.command")' },
    ]);
    expect(fields.isMisspelled('commands')).toBe(false);
  });

  it('takes an own hint as it is written', () => {
    const { issues } = open({ name: 'x' }, ['project'], { name: 'did you mean "project"?' });
    expect(issues[0]?.message).toBe('unknown field "name" (did you mean "project"?)');
  });

  it('does not take a field from the prototype as a hint', () => {
    expect(open({ toString: 1 }, ['a']).issues[0]?.message).toBe('unknown field "toString"; known fields: a');
  });
});

describe('a misspelled required field', () => {
  it('is reported once, as unknown, not also as missing', () => {
    const { fields, issues } = open({ replica: [] }, ['replicas', 'weight']);
    expect(fields.isMisspelled('replicas')).toBe(true);
    fields.missing('replicas', 'missing; give a list');
    fields.integer('weight', { min: 0, max: 10, missing: 'give a weight' });
    expect(issues).toEqual([
      { path: 'root.replica', message: 'unknown field "replica" (did you mean "replicas"?)' },
      { path: 'root.weight', message: 'missing; give a weight' },
    ]);
  });
});

describe('ObjectFields readers', () => {
  it('read nested objects into the same sink, with their paths', () => {
    const { fields, issues } = open({ listen: { port: 'x' }, admin: 'no' }, ['listen', 'admin', 'limits']);
    expect(fields.object('limits', ['maxHeaderBytes'])).toBeUndefined();
    fields.object('listen', ['host', 'port'])?.integer('port', { min: 0, max: 65535 });
    expect(fields.object('admin', ['port'])).toBeUndefined();
    expect(issues).toEqual([
      { path: 'root.listen.port', message: 'expected an integer from 0 to 65535, got "x"' },
      { path: 'root.admin', message: 'expected an object, got "no"' },
    ]);
  });

  it('integer: the default when absent, the range and what it is when wrong, and a hint for quotes', () => {
    const { fields, issues } = open({ port: '8080', ms: 1.5 }, ['port', 'ms', 'absent']);
    expect(fields.integer('absent', { min: 1, max: 9, default: 5 })).toBe(5);
    expect(fields.integer('port', { min: 0, max: 65535, what: 'an integer port', default: 80 })).toBe(80);
    expect(fields.integer('ms', { min: 1, max: 100 })).toBe(1);
    expect(issues.map((issue) => issue.message)).toEqual([
      'expected an integer port from 0 to 65535, got "8080" (write it without quotes: 8080)',
      'expected an integer from 1 to 100, got 1.5',
    ]);
  });

  it('number: a finite number at least the minimum', () => {
    const { fields, issues } = open({ a: 2.5, b: -1, c: '1' }, ['a', 'b', 'c', 'd']);
    expect([fields.number('a', 0, 7), fields.number('b', 0, 7), fields.number('c', 0, 7)]).toEqual([2.5, 7, 7]);
    expect(fields.number('d', 0, 7)).toBe(7);
    expect(issues.map((issue) => issue.message)).toEqual([
      'expected a number >= 0, got -1',
      'expected a number >= 0, got "1"',
    ]);
  });

  it('boolean, string and text', () => {
    const { fields, issues } = open({ on: 'yes', name: 1, blank: '  ', text: 'x' }, ['on', 'name', 'blank', 'text']);
    expect(fields.boolean('on', true)).toBe(true);
    expect(fields.boolean('off', false)).toBe(false);
    expect(fields.string('name')).toBeUndefined();
    expect(fields.string('absent')).toBeUndefined();
    expect(fields.text('blank', 'a project name')).toBeUndefined();
    expect(fields.text('text', 'a project name')).toBe('x');
    expect(issues).toEqual([
      { path: 'root.on', message: 'expected true or false, got "yes"' },
      { path: 'root.name', message: 'expected a string, got 1' },
      { path: 'root.blank', message: 'expected a project name, got an empty string' },
    ]);
  });

  it('choice: one of the values, with a hint for a typo', () => {
    const values = ['fallback', 'reject'] as const;
    const { fields, issues } = open({ a: 'reject', b: 'fallbak', c: 'drop' }, ['a', 'b', 'c']);
    expect(['a', 'b', 'c', 'd'].map((key) => fields.choice(key, values, 'fallback'))).toEqual([
      'reject',
      'fallback',
      'fallback',
      'fallback',
    ]);
    expect(issues.map((issue) => issue.message)).toEqual([
      'expected "fallback" or "reject", got "fallbak" (did you mean "fallback"?)',
      'expected "fallback" or "reject", got "drop"',
    ]);
  });
});

describe('ObjectFields.choiceList', () => {
  const values = ['tracestate', 'baggage'] as const;
  const names = { item: 'carrier', list: 'carriers in precedence order' };
  const read = (value: unknown) => {
    const { fields, issues } = open({ carriers: value }, ['carriers']);
    return { chosen: fields.choiceList('carriers', values, values, names), issues };
  };

  it('keeps the order written', () => {
    expect(read(['baggage', 'tracestate'])).toEqual({ chosen: ['baggage', 'tracestate'], issues: [] });
    expect(read(undefined)).toEqual({ chosen: ['tracestate', 'baggage'], issues: [] });
  });

  it('reports a value that is not a non-empty list, and gives the fallback', () => {
    for (const value of [[], 'baggage']) {
      const { chosen, issues } = read(value);
      expect(chosen).toEqual(['tracestate', 'baggage']);
      expect(issues).toEqual([
        {
          path: 'root.carriers',
          message: expect.stringContaining(
            'expected a non-empty list of carriers in precedence order ("tracestate", "baggage"), got',
          ),
        },
      ]);
    }
  });

  it('reports each unknown or repeated entry on its own', () => {
    const { chosen, issues } = read(['bagage', 'tracestate', 'b3', 'tracestate']);
    expect(chosen).toEqual(['tracestate']);
    expect(issues).toEqual([
      {
        path: 'root.carriers[0]',
        message: 'unknown carrier "bagage" (did you mean "baggage"?); expected one of "tracestate", "baggage"',
      },
      { path: 'root.carriers[2]', message: 'unknown carrier "b3"; expected one of "tracestate", "baggage"' },
      { path: 'root.carriers[3]', message: '"tracestate" is listed twice; list each carrier once' },
    ]);
  });
});
