import { createServer, type Socket } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { retryOnceIfCut } from './support/load-loop.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok';

/**
 * A keep-alive HTTP server whose `retire()` does what an nginx reload does to an old worker's connections: the next
 * request on any connection open at that moment is reset unanswered (after `beforeCut`, which the test uses to order
 * events). Connections opened later are answered. A request for `/slow` is held until `release()`.
 */
async function retiringServer() {
  const open = new Set<Socket>();
  const retired = new Set<Socket>();
  const held: Socket[] = [];
  let cuts = 0;
  let beforeCut: () => Promise<void> = async () => undefined;
  const server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', async (data) => {
      if (retired.has(socket)) {
        cuts += 1;
        await beforeCut();
        socket.resetAndDestroy();
      } else if (data.toString('latin1').startsWith('GET /slow ')) held.push(socket);
      else socket.write(OK);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    held: () => held.length,
    cuts: () => cuts,
    retire: () => {
      for (const socket of open) retired.add(socket);
    },
    release: () => {
      for (const socket of held.splice(0)) socket.write(OK);
    },
    onCut: (hook: () => Promise<void>) => {
      beforeCut = hook;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('retryOnceIfCut', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  // Under load another pooled connection can fall idle between the cut and the retry; a reload retired it too, so a
  // retry through the pool is cut again (CI saw one request cut twice). The retry's fresh connection is answered.
  it('retries a cut request on a fresh connection, not on another kept-alive one the same reload retired', async () => {
    const server = await retiringServer();
    const pool = new Agent();
    cleanups.push(() => pool.close(), server.close);
    const send = async (path: string, dispatcher?: Dispatcher) => {
      const response = await request(`${server.url}${path}`, { dispatcher: dispatcher ?? pool });
      return response.body.text();
    };
    // Two kept-alive connections; the first then carries a held request, so the next request takes the second.
    expect(await Promise.all([send('/'), send('/')])).toEqual(['ok', 'ok']);
    const slow = send('/slow');
    await waitUntil(() => server.held() === 1);
    server.retire();
    // The cut comes only once the held request was answered: the first connection is idle again when the retry goes.
    server.onCut(async () => {
      server.release();
      await slow;
    });

    let retries = 0;
    const answer = await retryOnceIfCut(
      (dispatcher) => send('/', dispatcher),
      () => {
        retries += 1;
      },
    );
    expect(answer).toBe('ok');
    expect(retries).toBe(1);
    expect(server.cuts()).toBe(1);
  });

  it('does not retry an error that is not a cut connection', async () => {
    let tries = 0;
    const failing = async () => {
      tries += 1;
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    };
    await expect(retryOnceIfCut(failing, () => undefined)).rejects.toThrow('refused');
    expect(tries).toBe(1);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
