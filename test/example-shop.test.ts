import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { copyExamples } from './support/examples.js';
import { get } from './support/gateway.js';
import { usePrivatePortRange } from './support/lanes-project.js';

describe('examples/shop, the main job (npm start)', () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    usePrivatePortRange();
    root = await copyExamples(['shop'], 'shop');
    dir = join(root, 'examples', 'shop');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('comes up, keeps a tagged checkout in its lane across both services, and stops on Ctrl-C', async () => {
    const up = runLanes(['up', '--project', dir, '--json']);
    try {
      const ready = JSON.parse(await up.waitForLine((line) => line.includes('"result":"up"'), 30_000)) as {
        url: string;
        adminUrl: string;
        failed: unknown[];
      };
      // Every declared lane came up: a lane whose start failed would turn the checks below into fallbacks.
      expect(ready.failed, up.stderr()).toEqual([]);
      /** What the gateway thinks of every replica, for a failure message. */
      const gatewayHealth = async () => JSON.stringify((await get(`${ready.adminUrl}/admin/health`)).json());
      const plain = (await get(`${ready.url}/shop/checkout`)).json<{
        lane: string;
        cart: { service: string; lane: string };
      }>();
      expect(plain).toMatchObject({ service: 'shop', lane: 'default', cart: { service: 'cart', lane: 'default' } });
      const tagged = (await get(`${ready.url}/shop/checkout`, { tracestate: 'ctx=lane:gray' })).json<{
        lane: string;
        cart: { lane: string; version: string; tracestate: string };
      }>();
      expect(tagged.lane).toBe('default');
      expect(tagged.cart, await gatewayHealth()).toMatchObject({
        lane: 'gray',
        version: '1.1.0-rc',
        tracestate: 'ctx=lane:gray',
      });
    } finally {
      up.child.kill('SIGINT');
    }
    expect(await up.exit()).toBe(0);
  });
});
