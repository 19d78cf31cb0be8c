// `npm start`, the main job: examples/platform/start.js brings up shop, cart and the arena game server in lanes,
// and prints where to look (gateway, status, the viewer command per arena lane).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNodeScript } from './support/cli.js';
import { copyExamples } from './support/examples.js';
import { get } from './support/gateway.js';
import { usePrivatePortRange } from './support/lanes-project.js';

describe('examples/platform, the main job (npm start)', () => {
  let dir: string;

  beforeAll(async () => {
    usePrivatePortRange();
    // start.js runs lanes up on examples/platform, whose services live in ../shop and ../arena.
    dir = await copyExamples(['shop', 'arena', 'platform'], 'platform');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('comes up with shop and both arena lanes, prints the viewer commands, and stops on Ctrl-C', async () => {
    const start = runNodeScript(join(dir, 'examples', 'platform', 'start.js'), [], { cwd: dir });
    try {
      const gatewayLine = await start.waitForLine((line) => line.startsWith('Gateway:'), 45_000);
      const gateway = gatewayLine.replace('Gateway:', '').trim();
      const checkout = (await get(`${gateway}/shop/checkout`, { tracestate: 'ctx=lane:gray' })).json<{
        cart: { lane: string };
      }>();
      expect(checkout.cart.lane).toBe('gray');
      const gray = (await get(`${gateway}/arena/status`, { tracestate: 'ctx=lane:gray' })).json<{ lane: string }>();
      expect(gray.lane).toBe('gray');
      const diff = await start.waitForLine((line) => line.startsWith('Diff them:'), 10_000);
      expect(diff).toMatch(/aoi-trace view \S+default\S+\.aoitrace --compare \S+gray\S+\.aoitrace/);
    } finally {
      start.child.kill('SIGINT');
    }
    expect(await start.exit()).toBe(0);
  }, 90_000);
});
