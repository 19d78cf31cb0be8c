import { describe, expect, it } from 'vitest';
import { isValidTraceStateKey, isValidTraceStateValue } from './tracestate-grammar.js';

const a = (n: number) => 'a'.repeat(n);

describe('isValidTraceStateKey: valid at both levels', () => {
  it.each([
    ['a', 'shortest simple key'],
    ['congo', 'plain'],
    ['f_-*/0', 'every allowed char'],
    [a(256), 'simple key at 256 chars'],
    ['fw529a3039@dt', 'spec multi-tenant example'],
    ['1tenant@sys', 'tenant id may open with a digit'],
    [`${a(241)}@x`, 'tenant id at 241 chars'],
    [`t@${a(14)}`, 'system id at 14 chars'],
    ['t-_*/@s-_*/9', 'allowed chars on both sides'],
  ])('accepts %s (%s)', (key) => {
    expect(isValidTraceStateKey(key)).toBe(true);
    expect(isValidTraceStateKey(key, 1)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['_abc', 'opening with underscore'],
    ['@sys', 'opening with @'],
    ['Congo', 'uppercase'],
    ['con go', 'space'],
    ['con.go', 'dot'],
    ['con=go', 'equals'],
    [a(257), 'key over 256 chars'],
    [`${a(250)}@${a(6)}`, 'multi-tenant key over 256 chars in total'],
    ['ctx ', 'trailing space'],
  ])('rejects %j (%s)', (key) => {
    expect(isValidTraceStateKey(key)).toBe(false);
    expect(isValidTraceStateKey(key, 1)).toBe(false);
  });
});

// https://www.w3.org/TR/trace-context-2/#key: `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`, `@` is a keychar.
describe('isValidTraceStateKey: Level 2 keys that Level 1 rejects', () => {
  it.each([
    ['1abc', 'opening with a digit, no @'],
    ['foo@', '@ at the end'],
    [`${a(242)}@x`, 'more than 241 chars before @'],
    [`t@${a(15)}`, 'more than 14 chars after @'],
    [`t@${a(254)}`, 'at 256 chars with @ second'],
    ['t@1sys', 'a digit after @'],
    ['a@b@c', 'two at signs'],
    ['foo@@bar', 'two at signs in a row'],
  ])('%j (%s)', (key) => {
    expect(isValidTraceStateKey(key)).toBe(true);
    expect(isValidTraceStateKey(key, 2)).toBe(true);
    expect(isValidTraceStateKey(key, 1)).toBe(false);
  });
});

describe('isValidTraceStateValue', () => {
  it.each([
    ['x', 'one char'],
    ['t61rcWkgMzE', 'spec example'],
    [' leading', 'leading spaces are part of the value'],
    ['in side', 'inner space'],
    ['!"#$%&\'()*+-./:;<>?@[\\]^_`{|}~', 'all punctuation but , and ='],
    [a(256), '256 chars'],
  ])('accepts %j (%s)', (value) => {
    expect(isValidTraceStateValue(value)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['trailing ', 'ends in a space'],
    ['a,b', 'comma'],
    ['a=b', 'equals'],
    ['a\tb', 'tab'],
    ['a\nb', 'newline'],
    ['caf\u00e9', 'non-ASCII'],
    ['\u007f', 'DEL'],
    [a(257), '257 chars'],
  ])('rejects %j (%s)', (value) => {
    expect(isValidTraceStateValue(value)).toBe(false);
  });
});
