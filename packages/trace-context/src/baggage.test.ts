import { describe, expect, it } from 'vitest';
import { Baggage, type BaggageEntry, isValidBaggageKey } from './baggage.js';
import { TraceContextError } from './errors.js';

const entry = (key: string, value: string, properties: BaggageEntry['properties'] = []) => ({ key, value, properties });

describe('Baggage.parse: the spec examples', () => {
  it('single header with an encoded space', () => {
    expect(Baggage.parse('userId=alice,serverNode=DF%2028,isProduction=false').entries()).toEqual([
      entry('userId', 'alice'),
      entry('serverNode', 'DF 28'),
      entry('isProduction', 'false'),
    ]);
  });

  it('several header fields combined in order', () => {
    const b = Baggage.parse(['userId=alice', 'serverNode=DF%2028,isProduction=false']);
    expect(b.keys()).toEqual(['userId', 'serverNode', 'isProduction']);
  });

  it('optional whitespace around keys, values and separators', () => {
    const b = Baggage.parse(['userId =   alice', 'serverNode = DF%2028, isProduction = false']);
    expect(b.get('userId')).toBe('alice');
    expect(b.get('serverNode')).toBe('DF 28');
    expect(b.get('isProduction')).toBe('false');
  });

  it('properties with and without values', () => {
    const b = Baggage.parse('key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue');
    expect(b.entries()).toEqual([
      entry('key1', 'value1', [{ key: 'property1' }, { key: 'property2' }]),
      entry('key2', 'value2'),
      entry('key3', 'value3', [{ key: 'propertyKey', value: 'propertyValue' }]),
    ]);
  });

  it('UTF-8 values', () => {
    expect(Baggage.parse('userId=Am%C3%A9lie').get('userId')).toBe('Am\u00e9lie');
  });
});

describe('Baggage.parse: grammar details', () => {
  it.each([
    ['k=v=w', 'v=w', 'a value may contain ='],
    ['k=', '', 'empty value'],
    ['k \t= \t', '', 'empty value with OWS'],
    ['k=hello%80world', 'hello\uFFFDworld', 'invalid UTF-8 becomes U+FFFD'],
    ["k=!#$&'()*+-./:<=>?@[]^_`{|}~", "!#$&'()*+-./:<=>?@[]^_`{|}~", 'every baggage-octet punctuation'],
  ])('%j -> %j (%s)', (header, value) => {
    expect(Baggage.parse(header).get('k')).toBe(value);
  });

  it('decodes property values and leaves property keys alone', () => {
    const e = Baggage.parse('k=v;p=%09%20x;ValueProp%20%3D%20x').getEntry('k');
    expect(e?.properties).toEqual([{ key: 'p', value: '\t x' }, { key: 'ValueProp%20%3D%20x' }]);
  });

  it('keeps an empty property value apart from a key-only property', () => {
    expect(Baggage.parse('k=v;a=;b').getEntry('k')?.properties).toEqual([{ key: 'a', value: '' }, { key: 'b' }]);
  });

  it('keeps duplicate keys in order; get reads the first', () => {
    const b = Baggage.parse('k=first,k=second,k=third');
    expect(b.entries().map((e) => e.value)).toEqual(['first', 'second', 'third']);
    expect(b.get('k')).toBe('first');
  });

  it('skips empty members', () => {
    expect(Baggage.parse(' , a=1,,\t,b=2, ').keys()).toEqual(['a', 'b']);
  });

  it.each([
    ['justKey', 'no ='],
    ['=v', 'empty key'],
    ['k(=v', 'key not a token'],
    ['k=a b', 'space inside value'],
    ['k="quoted"', 'DQUOTE in value'],
    ['k=back\\slash', 'backslash in value'],
    ['k=caf\u00e9', 'raw non-ASCII in value'],
    ['k=v;', 'empty property'],
    ['k=v;;p', 'empty property between'],
    ['k=v;p q', 'space inside property'],
    ['k=v;=x', 'property without key'],
    ['k=v;p=a b', 'space inside property value'],
  ])('drops only the invalid member: %j (%s)', (bad) => {
    const b = Baggage.parse(`k1=v1,${bad},k2=v2`);
    expect(b.keys()).toEqual(['k1', 'k2']);
    expect(b.serialize()).toBe('k1=v1,k2=v2');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['empty array', []],
    ['only invalid members', 'a,b c,=d'],
    ['huge', `a=1${' '.repeat(70_000)}`],
  ])('is empty for %s', (_, header) => {
    expect(Baggage.parse(header)).toBe(Baggage.empty);
  });
});

describe('Baggage limits', () => {
  it('propagates 64 members and more', () => {
    const header = Array.from({ length: 200 }, (_, i) => `key${i}=value`).join(',');
    expect(Baggage.parse(header).size).toBe(200);
    expect(Baggage.parse(header).serialize().split(',')).toHaveLength(200);
  });

  it('propagates a baggage-string of exactly 8192 bytes', () => {
    const header = `a=${'0123456789'.repeat(819)}`;
    expect(header).toHaveLength(8192);
    expect(Baggage.parse(header).serialize()).toBe(header);
  });

  it('drops whole members from the right end past 8192 bytes', () => {
    // 512 members of 15 bytes plus commas is 8191 bytes; one more member cannot fit.
    const header = Array.from({ length: 513 }, (_, i) => `${String(i).padStart(3, '0')}=0123456789a`).join(',');
    const b = Baggage.parse(header);
    expect(b.size).toBe(512);
    expect(b.has('511')).toBe(true);
    expect(b.has('512')).toBe(false);
    expect(b.serialize().length).toBe(8191);
  });

  it('serialize drops whole members past maxBytes, newest (front) kept', () => {
    const b = Baggage.fromEntries([entry('a', 'x'.repeat(5000)), entry('b', 'y'.repeat(5000))]).set('lane', 'gray');
    const out = b.serialize();
    expect(out.length).toBeLessThanOrEqual(8192);
    expect(out.startsWith('lane=gray,a=')).toBe(true);
    expect(out).not.toContain('b=');
    expect(b.serialize(9)).toBe('lane=gray');
  });

  it.each([-1, 0.5, Number.NaN])('serialize rejects maxBytes %d', (max) => {
    expect(() => Baggage.parse('a=1').serialize(max)).toThrow(
      expect.objectContaining({ code: 'TRACE_CONTEXT_INVALID_ARGUMENT' }),
    );
  });
});

describe('Baggage mutations', () => {
  const base = Baggage.parse('a=1,k=old;p,b=2,k=older');

  it('set replaces every member with the key and puts it first', () => {
    const next = base.set('k', 'new value', [{ key: 'prop', value: 'x y' }, { key: 'flag' }]);
    expect(next.serialize()).toBe('k=new%20value;prop=x%20y;flag,a=1,b=2');
    expect(base.serialize()).toBe('a=1,k=old;p,b=2,k=older');
  });

  it('set adds a new key first', () => {
    expect(base.set('lane', 'gray').keys()).toEqual(['lane', 'a', 'k', 'b', 'k']);
  });

  it('delete removes every member with the key', () => {
    expect(base.delete('k').serialize()).toBe('a=1,b=2');
    expect(base.delete('absent')).toBe(base);
    expect(Baggage.parse('a=1').delete('a')).toBe(Baggage.empty);
  });

  it.each([
    ['bad key', () => base.set('bad key', 'v'), 'TRACE_CONTEXT_INVALID_BAGGAGE_KEY', /"bad key"/],
    ['empty key', () => base.set('', 'v'), 'TRACE_CONTEXT_INVALID_BAGGAGE_KEY', /""/],
    [
      'bad property key',
      () => base.set('k', 'v', [{ key: 'p;q' }]),
      'TRACE_CONTEXT_INVALID_BAGGAGE_PROPERTY_KEY',
      /"p;q" on "k"/,
    ],
    ['bad entry', () => Baggage.fromEntries([entry('a,b', 'v')]), 'TRACE_CONTEXT_INVALID_BAGGAGE_KEY', /"a,b"/],
  ])('throws on %s, naming it', (_, act, code, message) => {
    expect(act).toThrow(TraceContextError);
    expect(act).toThrow(message);
    expect(act).toThrow(expect.objectContaining({ code }));
  });

  it('encodes what must be encoded and round-trips', () => {
    const value = '\t "\';=asdf!@#$%^&*()';
    const b = Baggage.empty.set('SomeKey', value);
    expect(b.serialize()).toBe("SomeKey=%09%20%22'%3B=asdf!@#$%25^&*()");
    expect(Baggage.parse(b.serialize()).get('SomeKey')).toBe(value);
  });

  it('size, has, getEntry, toString', () => {
    expect(base.size).toBe(4);
    expect(base.has('b')).toBe(true);
    expect(base.getEntry('k')).toEqual(entry('k', 'old', [{ key: 'p' }]));
    expect(base.getEntry('zzz')).toBeUndefined();
    expect(String(base)).toBe('a=1,k=old;p,b=2,k=older');
  });
});

describe('isValidBaggageKey', () => {
  it.each([
    ['userId', true],
    ["!#$%&'*+-.^_`|~09AZaz", true],
    ['', false],
    ['a b', false],
    ['a=b', false],
    ['a,b', false],
    ['a;b', false],
    ['a"b', false],
    ['caf\u00e9', false],
  ])('%j -> %s', (key, valid) => {
    expect(isValidBaggageKey(key)).toBe(valid);
  });
});
