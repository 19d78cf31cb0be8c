import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchReplicaText } from './replica-metrics.js';

describe('fetchReplicaText', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/metrics') res.end('a_total 1\n');
      else if (req.url === '/hang')
        res.write('a_total'); // never ends: the deadline must end it
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads the answer of a replica on loopback', async () => {
    expect(await fetchReplicaText(port, '/metrics')).toBe('a_total 1\n');
  });

  it('rejects an answer other than 200, naming the status', async () => {
    await expect(fetchReplicaText(port, '/nope')).rejects.toThrow('HTTP 404 from /nope');
  });

  it('gives up on a replica that does not finish its answer', async () => {
    await expect(fetchReplicaText(port, '/hang', 200)).rejects.toThrow('no answer within 200 ms');
  });

  it('rejects when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchReplicaText(free, '/metrics')).rejects.toThrow('ECONNREFUSED');
  });
});
