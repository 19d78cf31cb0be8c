import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { buildNativeLaneModule } from './native-module.js';

const empty = mkdtempSync(join(tmpdir(), 'lanes-no-nginx-src-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

async function failure(run: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('buildNativeLaneModule', () => {
  it('says to install nginx-dev when there is no nginx source tree', async () => {
    const error = await failure(() => buildNativeLaneModule({ nginxSource: empty, cacheDir: empty }));
    expect(error.code).toBe('GATEWAY_NGINX_MODULE_BUILD');
    expect(error.message).toContain('nginx-dev');
    expect(error.message).toContain(empty);
  });

  it('says nginx cannot be run when the binary is missing', async () => {
    const missing = join(empty, 'no-such-nginx');
    const error = await failure(() => buildNativeLaneModule({ nginxBinary: missing, cacheDir: empty }));
    expect(error.code).toBe('GATEWAY_NGINX_MODULE_BUILD');
    expect(error.message).toContain(`cannot run ${missing} -v`);
  });

  it('builds once, then answers from the cache', async () => {
    const first = await buildNativeLaneModule();
    const again = await buildNativeLaneModule();
    expect(again).toEqual({ ...first, type: 'cached' });
    expect(again.path).toMatch(/nginx-module\/nginx-[\d.]+-[0-9a-f]{16}\/ngx_http_lanes_module\.so$/);
  }, 300_000);
});
