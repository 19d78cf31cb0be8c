import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { createProject, type RunningPlatform, startPlatform } from './support/lanes-project.js';

let dir: string;
let platform: RunningPlatform | undefined;
const lanes = (args: string[]) => runLanesInProcess([...args, '--project', dir]);

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/' } });
});
afterAll(async () => {
  await lanes(['down']);
  await platform?.stop();
});

it('deploy and route with the platform down say the change is recorded but nothing serves it', async () => {
  const deployed = await lanes(['deploy', 'api', 'default']);
  expect(deployed.code).toBe(0);
  expect(deployed.stdout).toMatch(
    /^dev\/api\/default: revision 1 recorded \(1 replica started, [\d.]+s\); the platform is not running: nothing serves this until lanes up\n$/,
  );
  expect((await lanes(['deploy', 'api', 'gray'])).code).toBe(0);
  const routed = await lanes(['route', 'api', 'gray=10', '--json']);
  expect(JSON.parse(routed.stdout.trim().split('\n').at(-1)!)).toMatchObject({
    result: 'ok',
    type: 'routed',
    platformRunning: false,
    message: expect.stringContaining('weights recorded'),
  });
  const human = await lanes(['route', 'api', 'gray=20']);
  expect(human.stdout).toContain('the platform is not running: nothing serves this until lanes up');
  expect(human.stdout).not.toMatch(/^api: untagged traffic/);
});

it("status's alarms say the platform is down instead of ok", async () => {
  const status = await lanes(['status']);
  expect(status.stdout).toContain('platform not running');
  const rows = status.stdout.split('\n').filter((line) => line.startsWith('api '));
  expect(rows).toHaveLength(2);
  for (const row of rows) expect(row).toMatch(/PLATFORM_DOWN$/);
  expect(status.stdout).toContain('dev/api/gray: PLATFORM_DOWN: the platform is not running');
});

it('says what it always said once the platform runs', async () => {
  await lanes(['down']);
  platform = await startPlatform(dir);
  const deployed = await lanes(['deploy', 'api', 'gray', '--json']);
  const result = JSON.parse(deployed.stdout.trim().split('\n').at(-1)!) as { message: string };
  expect(result).toMatchObject({ type: 'deployed', platformRunning: true });
  expect(result.message).toMatch(/^dev\/api\/gray serves revision 2 /);
  const status = await lanes(['status', '--json']);
  const alarms = (JSON.parse(status.stdout) as { lanes: { alarms: { code: string }[] }[] }).lanes.flatMap((l) =>
    l.alarms.map((a) => a.code),
  );
  expect(alarms).not.toContain('PLATFORM_DOWN');
});
