import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort, isPortFree } from './ports.js';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('findFreePort and isPortFree', () => {
  it('finds a port that can be bound, and sees it as taken while it is', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(await isPortFree(port)).toBe(true);
    const server = await listen(port);
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await isPortFree(port)).toBe(true);
  });

  it('rejects a host it cannot bind', async () => {
    await expect(isPortFree(1234, '203.0.113.1')).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
