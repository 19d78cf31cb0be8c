import { describe, expect, it } from 'vitest';
import { type Unrouted, waitUntilGatewayRoutesAll } from './ready-wait.js';

function answering(answers: Unrouted[]): { next: () => Promise<Unrouted>; calls: () => number } {
  let calls = 0;
  return {
    next: async () => answers[calls++] ?? { unhealthy: 0, unchecked: 0 },
    calls: () => calls,
  };
}

describe('waitUntilGatewayRoutesAll', () => {
  it('returns once the gateway holds no replica unhealthy', async () => {
    const gateway = answering([
      { unhealthy: 2, unchecked: 0 },
      { unhealthy: 1, unchecked: 0 },
      { unhealthy: 0, unchecked: 0 },
      { unhealthy: 5, unchecked: 0 },
    ]);
    const left = await waitUntilGatewayRoutesAll(gateway.next, { pollMs: 1, waitMs: 60_000 });
    expect(left).toEqual({ unhealthy: 0, unchecked: 0 });
    expect(gateway.calls()).toBe(3);
  });

  it('waits for replicas whose first check has not answered yet', async () => {
    const gateway = answering([
      { unhealthy: 0, unchecked: 2 },
      { unhealthy: 0, unchecked: 1 },
      { unhealthy: 0, unchecked: 0 },
    ]);
    const left = await waitUntilGatewayRoutesAll(gateway.next, { pollMs: 1, waitMs: 60_000 });
    expect(left).toEqual({ unhealthy: 0, unchecked: 0 });
    expect(gateway.calls()).toBe(3);
  });

  it('gives up after its bound and says how many were still unrouted', async () => {
    const gateway = answering(Array.from({ length: 10 }, () => ({ unhealthy: 1, unchecked: 1 })));
    const left = await waitUntilGatewayRoutesAll(gateway.next, { pollMs: 1, waitMs: 0 });
    expect(left).toEqual({ unhealthy: 1, unchecked: 1 });
    expect(gateway.calls()).toBe(1);
  });
});
