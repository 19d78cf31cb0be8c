import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { groundTruth, openTraceReader } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../examples/arena/load.js';
import { runLanes } from './support/cli.js';
import { copyExamples } from './support/examples.js';
import { get, waitFor } from './support/gateway.js';
import { usePrivatePortRange } from './support/lanes-project.js';

interface StatusLine {
  result: string;
  lanes: { service: string; name: string; revision: number; replicas: { healthy: number | undefined } }[];
}

async function lanesJson<T>(args: string[]): Promise<T> {
  const run = runLanes([...args, '--json']);
  const code = await run.exit();
  const last = run.lines.filter((line) => line.includes('"result"')).pop();
  if (code !== 0 || last === undefined) throw new Error(`lanes ${args.join(' ')} exited ${code}: ${run.stderr()}`);
  return JSON.parse(last) as T;
}

async function playersOn(url: string, headers: Record<string, string>): Promise<number> {
  const response = await get(`${url}/arena/status`, headers);
  return response.status === 200 ? response.json<{ players: number }>().players : 0;
}

describe('examples/arena: a game server in two lanes, promoted under load', () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    usePrivatePortRange();
    root = await copyExamples(['arena'], 'arena');
    dir = join(root, 'examples', 'arena');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps every player connected through a promote, and both lanes pass the ground-truth check', async () => {
    const up = runLanes(['up', '--project', dir, '--json']);
    let load: Awaited<ReturnType<typeof runLoad>>;
    try {
      const ready = JSON.parse(await up.waitForLine((line) => line.includes('"result":"up"'), 30_000)) as {
        url: string;
      };
      const before = await lanesJson<StatusLine>(['status', '--project', dir]);
      expect(before.lanes.map((lane) => [lane.name, lane.revision, lane.replicas.healthy])).toEqual([
        ['default', 1, 1],
        ['gray', 1, 1],
      ]);

      const playing = runLoad({ url: ready.url, players: 30, seconds: 15, fraction: 0.5 });
      // Promote only once both lanes have players, so both lanes' players must migrate.
      await waitFor(
        async () =>
          (await playersOn(ready.url, {})) > 0 && (await playersOn(ready.url, { tracestate: 'ctx=lane:gray' })) > 0,
        'players in both lanes',
        10_000,
      );
      const promoted = await lanesJson<{ result: string; type?: string }>([
        'promote',
        '--project',
        dir,
        'arena',
        'gray',
      ]);
      expect(promoted.result).toBe('ok');
      load = await playing;

      const after = await lanesJson<StatusLine>(['status', '--project', dir]);
      expect(after.lanes.map((lane) => [lane.name, lane.revision])).toEqual([['default', 2]]);
    } finally {
      up.child.kill('SIGINT');
    }
    expect(await up.exit()).toBe(0);

    console.log(`arena load: ${JSON.stringify(load)}`);
    expect(load.problems).toEqual([]);
    expect(load.abnormalCloses).toBe(0);
    expect(load.playersWithoutConnection).toBe(0);
    expect(load.statusErrors).toBe(0);
    expect(load.statusRequests).toBeGreaterThan(0);
    // Untagged players moved off the old default replica, tagged ones off the deleted gray lane.
    expect(load.groups.untagged!.migrations).toBeGreaterThan(0);
    expect(load.groups.gray!.migrations).toBeGreaterThan(0);
    expect(load.servedBy['default@r2']).toBeGreaterThan(0);

    // Every replica's trace (the platform has stopped them all, so each file is closed).
    for (const lane of ['default', 'gray']) {
      const folder = join(dir, '.lanes', 'traces', 'arena', lane);
      const files = (await readdir(folder)).filter((name) => name.endsWith('.aoitrace'));
      expect(files.length).toBeGreaterThan(0);
      for (const name of files) {
        const { counts } = groundTruth(openTraceReader(join(folder, name)));
        console.log(`${lane}/${name}: ${JSON.stringify(counts)}`);
        expect({ file: `${lane}/${name}`, missing: counts.missing, extra: counts.extra, late: counts.late }).toEqual({
          file: `${lane}/${name}`,
          missing: 0,
          extra: 0,
          late: 0,
        });
        expect(counts.expected).toBeGreaterThan(0);
      }
    }
  }, 60_000);
});
