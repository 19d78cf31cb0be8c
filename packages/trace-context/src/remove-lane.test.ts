import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractLane } from './extract-lane.js';
import { isWellFormedPercentEncoding } from './percent-encoding.js';
import { rawBaggageValue, removeLane, removeListMember } from './remove-lane.js';

const chars = (s: string) => fc.constantFrom(...s.split(''));
/** Printable ASCII but the list separator: members of either header, valid or not, as a client may send them. */
const MEMBER_CHARS = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',')
  .join('');
const ows = fc.string({ unit: chars(' \t'), maxLength: 2 });
/** A member that is not a lane member of `key`: any text whose trimmed key differs. */
const otherMember = (key: string) =>
  fc.string({ unit: chars(MEMBER_CHARS), maxLength: 30 }).filter((m) => !new RegExp(`^[ \\t]*${key}[ \\t]*=`).test(m));
const laneMember = (key: string) =>
  fc
    .tuple(ows, ows, ows, fc.string({ unit: chars(MEMBER_CHARS), maxLength: 20 }))
    .map(([a, b, c, v]) => `${a}${key}${b}=${c}${v}`);

describe('removeListMember', () => {
  for (const key of ['ctx', 'lane']) {
    it(`removes only the ${key} members and keeps every other member byte for byte`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              otherMember(key).map((m) => ({ m, lane: false })),
              laneMember(key).map((m) => ({ m, lane: true })),
            ),
            {
              maxLength: 12,
            },
          ),
          (members) => {
            const header = members.map((x) => x.m).join(',');
            const kept = members.filter((x) => !x.lane).map((x) => x.m);
            const out = removeListMember(header, key);
            if (kept.length === members.length) expect(out).toBe(header);
            else expect(out).toBe(kept.join(','));
          },
        ),
      );
    });
  }

  it('returns the very same string when there is nothing to remove', () => {
    const header = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
    expect(removeListMember(header, 'ctx')).toBe(header);
    expect(removeLane('tracestate', 'xctx=lane:gray,ctxx=1')).toBe('xctx=lane:gray,ctxx=1');
  });

  it('removes the lane member at any position, in both carriers', () => {
    expect(removeLane('tracestate', 'ctx=lane:gray')).toBe('');
    expect(removeLane('tracestate', 'ctx=lane:gray,dd=s:1')).toBe('dd=s:1');
    expect(removeLane('tracestate', 'rojo=1 , ctx=lane:gray, congo=2')).toBe('rojo=1 , congo=2');
    expect(removeLane('tracestate', 'rojo=1,\tctx = lane:gray')).toBe('rojo=1');
    expect(removeLane('baggage', 'user=Am%C3%A9lie;p=1, lane=gr%61y;x ,lane-token=v1.a')).toBe(
      'user=Am%C3%A9lie;p=1,lane-token=v1.a',
    );
    // Both members of a repeated key go: either could be read by some parser.
    expect(removeLane('baggage', 'lane=gray,a=1,lane=blue')).toBe('a=1');
  });

  it('leaves no lane behind for extractLane', () => {
    fc.assert(
      fc.property(fc.array(otherMember('lane'), { maxLength: 6 }), fc.nat(6), (members, at) => {
        const withLane = [...members];
        withLane.splice(Math.min(at, members.length), 0, 'lane=gray');
        const out = removeLane('baggage', withLane.join(','));
        expect(extractLane({ baggage: out })?.lane).not.toBe('gray');
      }),
    );
  });
});

describe('rawBaggageValue', () => {
  it('reads the value still encoded, without properties and whitespace', () => {
    expect(rawBaggageValue('a=1, lane-token = v1.gray.1.abc ;p=2', 'lane-token')).toBe('v1.gray.1.abc');
    expect(rawBaggageValue('lane=gr%61y', 'lane')).toBe('gr%61y');
    expect(rawBaggageValue('lanes=x', 'lane')).toBeUndefined();
  });
});

describe('isWellFormedPercentEncoding', () => {
  it('accepts escapes of valid UTF-8 and refuses stray % and broken UTF-8', () => {
    expect(isWellFormedPercentEncoding('gr%61y')).toBe(true);
    expect(isWellFormedPercentEncoding('Am%C3%A9lie')).toBe(true);
    expect(isWellFormedPercentEncoding('gray')).toBe(true);
    expect(isWellFormedPercentEncoding('gr%6')).toBe(false);
    expect(isWellFormedPercentEncoding('gr%zzy')).toBe(false);
    expect(isWellFormedPercentEncoding('%C3')).toBe(false);
    expect(isWellFormedPercentEncoding('%')).toBe(false);
  });

  it('agrees with extractLane: an encoded lane is the decoded lane', () => {
    expect(extractLane({ baggage: 'lane=gr%61y' })?.lane).toBe('gray');
    expect(extractLane({ baggage: 'lane=gr%6' })).toBeUndefined();
    expect(extractLane({ baggage: 'lane=gray%C3' })).toBeUndefined();
  });
});
