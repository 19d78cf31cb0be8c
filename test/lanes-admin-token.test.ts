// `lanes up` guards its gateway's admin API with a token in the state dir, and lanes' own reloads carry it.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { collectStatus, composeRevision, deployLane } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSend, get } from './support/gateway.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

describe('lanes up: the admin token', () => {
  let platform: RunningPlatform;
  let tokenFile: string;

  beforeAll(async () => {
    platform = await startPlatform(await createProject({ api: { pathPrefix: '/api' } }));
    tokenFile = join(platform.session.project.stateDir, 'admin-token');
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('is created in the state dir with mode 0600; only its path reaches gateway.json and platform.json', async () => {
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const { stateDir } = platform.session.project;
    const gatewayJson = await readFile(join(stateDir, 'gateway.json'), 'utf8');
    expect(JSON.parse(gatewayJson).admin.tokenFile).toBe(tokenFile);
    for (const file of ['gateway.json', 'platform.json']) {
      expect(await readFile(join(stateDir, file), 'utf8')).not.toContain(token);
    }
  });

  it('is what a deploy reloads the gateway with; a reload without it is refused', async () => {
    const { session, info } = platform;
    expect((await adminSend(info.adminUrl, 'POST', '/admin/reload')).status).toBe(401);
    const spec = composeRevision(session.project.services.api!, undefined, { env: { VERSION: 'gray-1' } });
    const result = await deployLane(session, { env: 'dev', service: 'api', lane: 'gray' }, { spec });
    expect(result.type).toBe('deployed');
    expect((await get(`${info.url}/api/x`, { baggage: 'lane=gray' })).json()).toMatchObject({ version: 'gray-1' });
    expect(platform.events.some((event) => event.code === 'GATEWAY_RELOADED')).toBe(true);
  });

  it('is not needed to read: status still sees the gateway', async () => {
    const status = await collectStatus(platform.session);
    expect(status.platform.running).toBe(true);
    expect(status.lanes.map((lane) => lane.lane)).toContain('dev/api/gray');
  });
});
