import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IssueList } from './issue-sink.js';
import { findJsonSyntaxError, parseJson, readJsonText } from './json-text.js';

function accepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Valid JSON with one character deleted, inserted or replaced: most results are invalid in interesting places. */
const mutatedJson = fc
  .tuple(
    fc.jsonValue().map((value) => JSON.stringify(value, null, 2)),
    fc.nat(),
    fc.constantFrom('delete', 'insert', 'replace'),
    fc.constantFrom(...'{}[]:,"\\ \n-+.0123456789eEtfnul/\'x\t\u0001'),
  )
  .map(([text, at, op, char]) => {
    const i = at % (text.length + 1);
    if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
    if (op === 'insert') return text.slice(0, i) + char + text.slice(i);
    return text.slice(0, i) + char + text.slice(i + 1);
  });

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on which texts are valid', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedJson, fc.json(), fc.string()), (text) => {
        const problem = findJsonSyntaxError(text);
        expect(problem === undefined).toBe(accepts(text));
        if (problem) expect(problem.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseJson', () => {
  it.each([
    ['{\n  "a": 1,\n}', 3, 1, 'no trailing comma'],
    ['{\n  "a": [1, 2,]\n}', 2, 14, 'no trailing comma'],
    ['{\n  "a" 1\n}', 2, 7, 'expected ":"'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}"'],
    ['{\n  // note\n  "a": 1\n}', 2, 3, 'expected a property name'],
    ['{ "a": // note\n 1 }', 1, 8, 'comments are not allowed'],
    ['{ "a": \'x\' }', 1, 8, 'double quotes'],
    ['{ "a": tru }', 1, 8, 'unexpected "t"'],
    ['{ "a": 01 }', 1, 9, 'expected "," or "}"'],
    ['{ "a": "x\\q" }', 1, 10, 'invalid escape'],
    ['{ "a": "x', 1, 10, 'unterminated string'],
    ['{ "a": 1 } x', 1, 12, 'after the end of the JSON value'],
    ['', 1, 1, 'expected a value'],
  ])('locates the error in %j at %i:%i', (text, line, column, reason) => {
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({ line, column });
    expect(result.problem.reason).toContain(reason);
  });

  it('ignores a leading byte-order mark', () => {
    expect(parseJson('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('readJsonText', () => {
  const sink = () => new IssueList<{ path: string; message: string }>([], (path, message) => ({ path, message }));

  it('gives the value of valid JSON and reports nothing', () => {
    const issues = sink();
    expect(readJsonText('{"a":[1]}', issues)).toEqual({ value: { a: [1] } });
    expect(issues.all).toEqual([]);
  });

  it('reports a syntax error for the whole file, with its line and column', () => {
    const issues = sink();
    expect(readJsonText('{\n  "a": 1,\n}', issues)).toBeUndefined();
    expect(issues.all).toEqual([
      { path: '', message: expect.stringMatching(/^invalid JSON at line 3, column 1: .*no trailing comma/) },
    ]);
  });
});
