// Small network helpers shared by the targets: a free-port probe for servers that cannot listen on port 0
// and report it back (nginx), and a single HTTP GET used for readiness and routing checks.
import http from 'node:http';
import net from 'node:net';

/**
 * Asks the kernel for a free loopback port, then releases it. Another process could take it before the server
 * binds, so callers that use it retry on a bind failure.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * One GET on a fresh connection (no agent pooling, so a check never reuses a socket the load run left behind).
 * @param {string} url
 * @param {Record<string, string>} [headers]
 * @param {number} [timeoutMs]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
export function get(url, headers = {}, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Polls `url` until it answers 200, for servers that give no other ready signal (nginx).
 * @param {string} url
 * @param {number} timeoutMs
 * @param {() => boolean} [gaveUp] stops early, e.g. when the server process already exited
 */
export async function waitUntilServing(url, timeoutMs, gaveUp = () => false) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt';
  while (Date.now() < deadline && !gaveUp()) {
    try {
      const res = await get(url, {}, 500);
      if (res.status === 200) return;
      lastError = `status ${res.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} not serving within ${timeoutMs} ms (${lastError})`);
}
