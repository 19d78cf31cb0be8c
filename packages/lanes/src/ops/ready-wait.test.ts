import { describe, expect, it } from 'vitest';
import { waitUntilGatewayRoutesAll } from './ready-wait.js';

describe('waitUntilGatewayRoutesAll', () => {
  it('returns once the gateway holds no replica unhealthy', async () => {
    const answers = [2, 1, 0, 5];
    let calls = 0;
    const left = await waitUntilGatewayRoutesAll(async () => answers[calls++] ?? 0, { pollMs: 1, waitMs: 60_000 });
    expect(left).toBe(0);
    expect(calls).toBe(3);
  });

  it('gives up after its bound and says how many were still unhealthy', async () => {
    let calls = 0;
    const left = await waitUntilGatewayRoutesAll(
      async () => {
        calls++;
        return 1;
      },
      { pollMs: 1, waitMs: 0 },
    );
    expect(left).toBe(1);
    expect(calls).toBe(1);
  });
});
