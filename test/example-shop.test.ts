import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';
import { get } from './support/gateway.js';
import { usePrivatePortRange } from './support/lanes-project.js';

const EXAMPLE = fileURLToPath(new URL('../examples/shop/', import.meta.url));

describe('examples/shop, the main job (npm start)', () => {
  let dir: string;

  beforeAll(async () => {
    usePrivatePortRange();
    dir = await mkdtemp(join(tmpdir(), 'lanes-example-'));
    await cp(EXAMPLE, dir, { recursive: true, filter: (source) => !source.includes('.lanes') });
    // The example listens on 8080/9901; here the ports are picked at run time.
    const file = join(dir, 'lanes.json');
    const project = JSON.parse(await readFile(file, 'utf8'));
    project.gateway = { port: 0, adminPort: 0 };
    await writeFile(file, JSON.stringify(project));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('comes up, keeps a tagged checkout in its lane across both services, and stops on Ctrl-C', async () => {
    const up = runLanes(['up', '--project', dir, '--json']);
    try {
      const ready = JSON.parse(await up.waitForLine((line) => line.includes('"result":"up"'), 30_000)) as {
        url: string;
      };
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
      expect(tagged.cart).toMatchObject({ lane: 'gray', version: '1.1.0-rc', tracestate: 'ctx=lane:gray' });
    } finally {
      up.child.kill('SIGINT');
    }
    expect(await up.exit()).toBe(0);
  });
});
