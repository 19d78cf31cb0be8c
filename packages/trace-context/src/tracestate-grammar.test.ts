import { describe, expect, it } from 'vitest';
import { isValidTraceStateKey, isValidTraceStateValue } from './tracestate-grammar.js';

const a = (n: number) => 'a'.repeat(n);

describe('isValidTraceStateKey', () => {
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
  });

  it.each([
    ['', 'empty'],
    ['1abc', 'simple key opening with a digit'],
    ['_abc', 'opening with underscore'],
    ['Congo', 'uppercase'],
    ['con go', 'space'],
    ['con.go', 'dot'],
    ['con=go', 'equals'],
    [a(257), 'simple key over 256 chars'],
    [`${a(242)}@x`, 'tenant id over 241 chars'],
    [`t@${a(15)}`, 'system id over 14 chars'],
    ['t@1sys', 'system id opening with a digit'],
    ['@sys', 'empty tenant id'],
    ['tenant@', 'empty system id'],
    ['a@b@c', 'two at signs'],
    ['ctx ', 'trailing space'],
  ])('rejects %j (%s)', (key) => {
    expect(isValidTraceStateKey(key)).toBe(false);
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
