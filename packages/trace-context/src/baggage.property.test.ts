import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Baggage, type BaggageEntry, type BaggageProperty } from './baggage.js';
import { extractLane } from './extract-lane.js';
import { injectLane } from './inject-lane.js';
import { percentDecode, percentEncode } from './percent-encoding.js';

const chars = (s: string) => fc.constantFrom(...s.split(''));
const LC_DIGIT = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_CHARS = `!#$%&'*+-.^_\`|~${LC_DIGIT}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const OCTETS = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => !'",;\\'.includes(c))
  .join('');

const key = fc.string({ unit: chars(TOKEN_CHARS), minLength: 1, maxLength: 10 });
/** Any well-formed Unicode, so percent-encoding of multi-byte UTF-8 is exercised. */
const value = fc.string({ unit: 'binary', maxLength: 12 });
const property = fc.oneof(
  key.map((k): BaggageProperty => ({ key: k })),
  fc.record({ key, value }),
);
const entry = (forbiddenKey?: string) =>
  fc
    .record({ key, value, properties: fc.array(property, { maxLength: 3 }) })
    .filter((e) => e.key !== forbiddenKey) as fc.Arbitrary<BaggageEntry>;
const entries = (forbiddenKey?: string) => fc.array(entry(forbiddenKey), { maxLength: 12 });
const ows = fc.string({ unit: chars(' \t'), maxLength: 3 });
const laneName = fc
  .tuple(chars(LC_DIGIT), fc.string({ unit: chars(`${LC_DIGIT}-`), maxLength: 20 }), chars(LC_DIGIT))
  .map(([a, mid, z]) => a + mid + z);

const OWS = '[ \\t]*';
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const VALUE = '[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]*';
const MEMBER = new RegExp(`^${TOKEN}${OWS}=${OWS}${VALUE}(?:${OWS};${OWS}${TOKEN}(?:${OWS}=${OWS}${VALUE})?)*$`);
const strip = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '');

/** A naive reading of the ABNF with regexes: the oracle for the allocation-free scanner. */
function referenceParse(header: string): BaggageEntry[] {
  const out: BaggageEntry[] = [];
  for (const raw of header.split(',')) {
    const member = strip(raw);
    if (!MEMBER.test(member)) continue;
    const [head = '', ...props] = member.split(';');
    const eq = head.indexOf('=');
    const properties = props.map((p): BaggageProperty => {
      const at = p.indexOf('=');
      return at < 0 ? { key: strip(p) } : { key: strip(p.slice(0, at)), value: percentDecode(strip(p.slice(at + 1))) };
    });
    out.push({ key: strip(head.slice(0, eq)), value: percentDecode(strip(head.slice(eq + 1))), properties });
  }
  return out;
}

const run = { numRuns: 400 };

describe('Baggage properties', () => {
  it('parse(serialize(x)) equals x, UTF-8 values and duplicates included', () => {
    fc.assert(
      fc.property(entries(), (list) => {
        const serialized = Baggage.fromEntries(list).serialize();
        expect(serialized).toMatch(/^[\x21-\x7e]*$/);
        expect(Baggage.parse(serialized).entries()).toEqual(list);
      }),
      run,
    );
  });

  it('optional whitespace and field splits do not change the result', () => {
    fc.assert(
      fc.property(entries(), ows, ows, fc.nat(), (list, a, b, split) => {
        const pair = (k: string, v: string | undefined) => (v === undefined ? k : `${k}${b}=${a}${percentEncode(v)}`);
        const members = list.map(
          (e) =>
            `${a}${pair(e.key, e.value)}${e.properties.map((p) => `${b};${a}${pair(p.key, p.value)}`).join('')}${b}`,
        );
        const at = split % (members.length + 1);
        const fields = [members.slice(0, at).join(','), members.slice(at).join(',')];
        expect(Baggage.parse(fields).entries()).toEqual(list);
      }),
      run,
    );
  });

  it('agrees with a naive reference parser on arbitrary input', () => {
    const member = fc.oneof(
      entry().map((e) => Baggage.fromEntries([e]).serialize()),
      fc.tuple(key, fc.string({ unit: chars(OCTETS), maxLength: 10 })).map(([k, v]) => `${k}=${v}`),
      fc.string({ unit: chars('k=v;p %"\\\tA\u00e9'), maxLength: 10 }),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(ows, member, ows), { maxLength: 10 }), (members) => {
        const header = members.map(([a, m, b]) => a + m + b).join(',');
        expect(Baggage.parse(header).entries()).toEqual(referenceParse(header));
      }),
      { numRuns: 1000 },
    );
  });

  it('extractLane(injectLane(x)) finds any valid lane among any valid members', () => {
    fc.assert(
      fc.property(entries('lane'), laneName, (list, lane) => {
        const header = injectLane('baggage', Baggage.fromEntries(list).serialize(), lane);
        expect(extractLane({ baggage: header })).toEqual({ lane, carrier: 'baggage' });
        expect(Baggage.parse(header).size).toBe(list.length + 1);
      }),
      run,
    );
  });

  it('random input never throws, and the lane agrees with the full parser', () => {
    const unit = fc.oneof(
      chars('lane=gray,; \t%AB1-"\\'),
      fc.constantFrom('lane=gray', 'lane=blue', '%C3%A9', '%80', 'k=v'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (header) => {
        const values = new Set(
          Baggage.parse(header)
            .entries()
            .filter((e) => e.key === 'lane')
            .map((e) => e.value),
        );
        const [only] = values;
        const expected =
          values.size === 1 && only !== undefined && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(only)
            ? only
            : undefined;
        expect(extractLane({ baggage: header })?.lane).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
