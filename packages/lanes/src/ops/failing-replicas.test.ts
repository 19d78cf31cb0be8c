import { describe, expect, it } from 'vitest';
import { unroutedCounts } from './failing-replicas.js';

describe('unroutedCounts', () => {
  const gray = 'api/gray/http://127.0.0.1:4101';
  const main = 'api/default/http://127.0.0.1:4100';

  it('counts the gateway unhealthy and unknown verdicts', () => {
    const verdicts = new Map([
      [main, 'healthy'],
      [gray, 'unknown'],
      ['api/blue/http://127.0.0.1:4102', 'unhealthy'],
    ]);
    expect(unroutedCounts(verdicts, [main, gray])).toEqual({ unhealthy: 1, unchecked: 1 });
  });

  it('counts a serving replica the gateway does not list yet as unchecked (a replacement still being applied)', () => {
    // The gray lane's replica was replaced: the gateway lists no gray replica at all, which is not "all routed".
    expect(unroutedCounts(new Map([[main, 'healthy']]), [main, gray])).toEqual({ unhealthy: 0, unchecked: 1 });
    expect(unroutedCounts(new Map(), [main])).toEqual({ unhealthy: 0, unchecked: 1 });
  });

  it('is all routed when every serving replica is listed healthy', () => {
    const verdicts = new Map([
      [main, 'healthy'],
      [gray, 'healthy'],
    ]);
    expect(unroutedCounts(verdicts, [main, gray])).toEqual({ unhealthy: 0, unchecked: 0 });
  });
});
