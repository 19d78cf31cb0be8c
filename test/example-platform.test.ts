// `npm start`, the main job: examples/platform/start.js brings up shop, cart and the arena game server in lanes,
// and prints where to look (gateway, status, the viewer command per arena lane).
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNodeScript } from './support/cli.js';
import { get } from './support/gateway.js';
import { usePrivatePortRange } from './support/lanes-project.js';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));

describe('examples/platform, the main job (npm start)', () => {
  let dir: string;

  beforeAll(async () => {
    usePrivatePortRange();
    dir = await mkdtemp(join(tmpdir(), 'lanes-platform-'));
    await mkdir(join(dir, 'examples'));
    for (const name of ['shop', 'arena', 'platform']) {
      await cp(join(EXAMPLES, name), join(dir, 'examples', name), {
        recursive: true,
        filter: (source) => !source.includes('.lanes'),
      });
    }
    await symlink(NODE_MODULES, join(dir, 'node_modules'), 'dir');
    // The platform listens on 8090/9903; here the ports are picked at run time.
    const file = join(dir, 'examples', 'platform', 'lanes.json');
    const project = JSON.parse(await readFile(file, 'utf8'));
    project.gateway = { port: 0, adminPort: 0 };
    await writeFile(file, JSON.stringify(project));
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
