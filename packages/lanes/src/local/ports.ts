import { createServer } from 'node:net';
import { errnoCode } from './error-text.js';

/**
 * A port the OS considers free on `host` right now (bind port 0, read it, close). Another process may take it
 * before the replica binds it; the replica then exits and its health wait says so.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no port was assigned on ${host}`))));
    });
  });
}

/** Whether `port` can be bound on `host`; a port in use or reserved (below 1024 for a non-root user) is not free. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error) => {
      const code = errnoCode(error);
      if (code === 'EADDRINUSE' || code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
