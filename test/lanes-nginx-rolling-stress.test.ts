import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './support/gateway.js';
import { createProject, deployVersion, type RunningPlatform, startPlatform } from './support/lanes-project.js';
import { retryOnceIfCut, startLoadLoop } from './support/load-loop.js';

/**
 * Opt-in stress of what test/lanes-up-nginx.test.ts checks once: `LANES_STRESS_DEPLOYS` rolling deploys of the
 * default lane under `lanes up` with the nginx engine, 6 clients sending tagged and untagged requests meanwhile and
 * `LANES_STRESS_BURNERS` (default 2) CPU-burning processes, as on a busy CI machine. Per deploy it counts nginx
 * reloads and requests cut on their first try (retried once, retryOnceIfCut); a request cut on its retry too is a
 * failure. Prints one JSON line. Run: `LANES_STRESS_DEPLOYS=40 npx vitest run test/lanes-nginx-rolling-stress.test.ts`.
 */
const DEPLOYS = Number(process.env.LANES_STRESS_DEPLOYS ?? 0);
const BURNERS = Number(process.env.LANES_STRESS_BURNERS ?? 2);

describe.runIf(DEPLOYS > 0)('stress: rolling deploys under lanes up with the nginx engine', () => {
  let platform: RunningPlatform;
  const burners: ChildProcess[] = [];

  beforeAll(async () => {
    const dir = await createProject({ api: { pathPrefix: '/', replicas: 2, env: { VERSION: 'v1' } } });
    const file = join(dir, 'lanes.json');
    const project = JSON.parse(await readFile(file, 'utf8')) as { gateway: Record<string, unknown> };
    project.gateway.engine = 'nginx';
    await writeFile(file, JSON.stringify(project, null, 2));
    platform = await startPlatform(dir);
    for (let i = 0; i < BURNERS; i++) burners.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  }, 60_000);
  afterAll(async () => {
    for (const burner of burners) burner.kill('SIGKILL');
    await platform?.stop();
  });

  it('rolls default again and again: one nginx reload per deploy and no request cut twice', async () => {
    const { session, info } = platform;
    const reloads = async () => (await get(`${info.adminUrl}/admin/engine`)).json<{ reloads: number }>().reloads;
    expect((await deployVersion(session, 'api', 'gray', 'g1')).type).toBe('deployed');
    let cut = 0;
    const load = startLoadLoop(6, (client) =>
      retryOnceIfCut(
        async (dispatcher) => {
          const headers = client % 2 === 0 ? { tracestate: 'ctx=lane:gray' } : {};
          const response = await request(info.url, { headers, ...(dispatcher && { dispatcher }) });
          const text = await response.body.text();
          if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${text}`);
        },
        () => {
          cut += 1;
        },
      ),
    );
    const perDeploy: { reloads: number; cut: number; cutTwice: number }[] = [];
    try {
      await load.waitForAnswers(50);
      for (let i = 0; i < DEPLOYS; i++) {
        const [reloadsBefore, cutBefore, failedBefore] = [await reloads(), cut, load.failures.length];
        expect((await deployVersion(session, 'api', 'default', `v${i + 2}`)).type).toBe('deployed');
        await load.waitForAnswers(30);
        perDeploy.push({
          reloads: (await reloads()) - reloadsBefore,
          cut: cut - cutBefore,
          cutTwice: load.failures.length - failedBefore,
        });
      }
    } finally {
      await load.stop();
    }
    const sum = (key: 'reloads' | 'cut' | 'cutTwice') => perDeploy.reduce((total, d) => total + d[key], 0);
    const summary = { deploys: DEPLOYS, burners: BURNERS, answers: load.answers.length, reloads: sum('reloads') };
    console.log(JSON.stringify({ ...summary, cut: sum('cut'), cutTwice: sum('cutTwice'), failures: load.failures }));
    expect(load.failures).toEqual([]);
    // One reload per deploy, its traffic shift (a health verdict rendering a replica down adds one); it was 3-4.
    expect(perDeploy.every((d) => d.reloads >= 1)).toBe(true);
    expect(sum('reloads')).toBeLessThan(2 * DEPLOYS);
  }, 3_600_000);
});
