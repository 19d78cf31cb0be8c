import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

let dir: string;
const lanes = (args: string[]) => runLanesInProcess([...args, '--project', dir]);

async function shares(): Promise<Record<string, number>> {
  const status = await lanes(['status', '--json']);
  const rows = (JSON.parse(status.stdout) as { lanes: { name: string; share: number }[] }).lanes;
  return Object.fromEntries(rows.map((row) => [row.name, Math.round(row.share * 1000) / 1000]));
}

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/', lanes: { gray: { weight: 0 } } } });
  for (const lane of ['default', 'gray', 'blue', 'pr-1'])
    expect((await lanes(['deploy', 'api', lane])).code, lane).toBe(0);
});
afterAll(async () => {
  await lanes(['down']);
  await rm(dir, { recursive: true, force: true });
});

it("after promote the promoted lane's weight is default's, and the other lanes keep their shares", async () => {
  expect((await lanes(['route', 'api', 'default=80', 'pr-1=10', 'blue=10'])).code).toBe(0);
  const promoted = await lanes(['promote', 'api', 'pr-1']);
  expect(promoted.code).toBe(0);
  expect(promoted.stdout).toContain('untagged traffic blue 10%, default 90%, gray 0% (its weight went to default)');
  // Before: default kept its 80, so blue's share grew from 10% to 11.1% by a promote of another lane.
  expect(await shares()).toEqual({ default: 0.9, gray: 0, blue: 0.1 });

  // A canary at 100% promoted: default gets the traffic (before: default stayed at 0 and blue took it all).
  expect((await lanes(['deploy', 'api', 'pr-2'])).code).toBe(0);
  expect((await lanes(['route', 'api', 'default=0', 'blue=0', 'pr-2=100'])).code).toBe(0);
  const json = await lanes(['promote', 'api', 'pr-2', '--json']);
  const result = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { weights: Record<string, number> };
  expect(result.weights).toEqual({ blue: 0, default: 100, gray: 0 });
  expect(await shares()).toEqual({ default: 1, gray: 0, blue: 0 });
});

it('delete of a lane declared in lanes.json says the next up brings it back; of another lane it does not', async () => {
  const declared = await lanes(['delete', 'api', 'gray']);
  expect(declared.code).toBe(0);
  expect(declared.stdout).toMatch(
    /^dev\/api\/gray deleted \(1 replica stopped\); it is declared in \S+lanes\.json \(services\.api\.lanes\.gray\), so the next lanes up deploys it again: remove it there to keep it deleted/,
  );
  const other = await lanes(['delete', 'api', 'blue', '--json']);
  expect(JSON.parse(other.stdout.trim().split('\n').at(-1)!)).toMatchObject({ declared: false });
  expect(other.stdout).not.toContain('lanes up deploys it again');
});
