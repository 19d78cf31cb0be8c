import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laneKeyString, parseLaneKey, uniqueLaneKeys } from './lane-key.js';

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const laneKey = fc.record({ env: label, service: label, lane: label });

describe('lane keys', () => {
  it('parses what laneKeyString writes', () => {
    fc.assert(
      fc.property(laneKey, (key) => {
        expect(parseLaneKey(laneKeyString(key))).toEqual(key);
      }),
    );
  });

  it('refuses text that is not env/service/lane', () => {
    for (const text of ['dev/shop', 'dev/shop/gray/x', 'dev//gray', '']) {
      expect(() => parseLaneKey(text)).toThrow(expect.objectContaining({ code: 'LANES_STATE_INVALID_INPUT' }));
    }
  });

  it('sorts and deduplicates keys, dropping extra fields', () => {
    const gray = { env: 'dev', service: 'shop', lane: 'gray', weight: 3 };
    const main = { env: 'dev', service: 'shop', lane: 'default' };
    expect(uniqueLaneKeys([gray, main, gray])).toEqual([main, { env: 'dev', service: 'shop', lane: 'gray' }]);
  });
});
