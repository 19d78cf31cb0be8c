import { describe, expect, it } from 'vitest';
import { percentDecode, percentEncode } from './percent-encoding.js';

describe('percentDecode', () => {
  it.each([
    ['plain', 'plain'],
    ['DF%2028', 'DF 28'],
    ['Am%C3%A9lie', 'Am\u00e9lie'],
    ['am%c3%a9lie', 'am\u00e9lie'],
    ['%F0%9F%9A%80', '\u{1F680}'],
    ['%80', '\uFFFD'],
    ['%C3', '\uFFFD'],
    ['hello%80world', 'hello\uFFFDworld'],
    ['%E2%82', '\uFFFD'],
    ['100%', '100%'],
    ['%zz', '%zz'],
    ['%4', '%4'],
    ['a%3Db', 'a=b'],
    ['%2525', '%25'],
    ['\u00e9%20\u{1F680}', '\u00e9 \u{1F680}'],
    ['\ud800%41', '\uFFFDA'],
  ])('%j -> %j', (input, expected) => {
    expect(percentDecode(input)).toBe(expected);
  });
});

describe('percentEncode', () => {
  it.each([
    ['plain-value_1.2~', 'plain-value_1.2~'],
    ['DF 28', 'DF%2028'],
    ['Am\u00e9lie', 'Am%C3%A9lie'],
    ['a,b;c"d\\e', 'a%2Cb%3Bc%22d%5Ce'],
    ['100%', '100%25'],
    ['tab\there', 'tab%09here'],
    ['=keeps=equals', '=keeps=equals'],
    ['\u{1F680}', '%F0%9F%9A%80'],
  ])('%j -> %j', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });

  it('produces only baggage-octets', () => {
    const encoded = percentEncode(' \t"\',;\\=asdf!@#$%^&*()\u00e9\u4e2d\u{1F680}');
    expect(encoded).toMatch(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/);
    expect(percentDecode(encoded)).toBe(' \t"\',;\\=asdf!@#$%^&*()\u00e9\u4e2d\u{1F680}');
  });
});
