// remove(id) then add(id) in one batched engine tick (a legal run): recorded to a real .aoitrace file, checked by the
// real `aoi-trace detect` (ground truth and every detector), exported to NDJSON and imported back (issue 15).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AoiWorld } from '@lanes/aoi';
import { lifecycle, openTraceReader, openTraceWriter, recordWorld } from '@lanes/aoi-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { runAoiTrace } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-respawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const cli = runAoiTrace(args);
  const code = await cli.exit();
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr() };
}

const file = join(dir, 'respawn.aoitrace');
const ids = [1, 2, 3, 4, 5, 6, 7, 8];

/** A small crowd; at tick 3 several ids are removed and added again within the tick, in every variant. */
function record(): { world: AoiWorld; engineEvents: number; respawnTick: number } {
  const world = new AoiWorld({ mode: 'batched' });
  const writer = openTraceWriter(file, { keyframeInterval: 2 });
  let t = 0;
  const recorder = recordWorld(world, writer, { now: () => 1_000 + t++ });
  let engineEvents = 0;
  const tick = () => {
    engineEvents += recorder.tick().count;
  };
  for (const id of ids) world.add(id, { x: id * 4, y: 0, viewRadius: 10, leaveRadius: 12 });
  tick();
  world.move(1, 2, 1);
  tick();
  world.move(2, 9, 1);
  tick();
  const respawnTick = 3;
  // Same place, new radius: every pair leaves and enters again.
  world.remove(2);
  world.add(2, { x: 9, y: 1, viewRadius: 30, leaveRadius: 30 });
  // Far away: leaves only.
  world.remove(3);
  world.add(3, { x: 500, y: 500, viewRadius: 10 });
  // Moved first, then removed and added: the move must not apply to the new entity.
  world.move(4, 14, 3);
  world.remove(4);
  world.add(4, { x: 17, y: -1, viewRadius: 5, marker: false });
  // Removed, added, removed, added: one respawn.
  world.remove(5);
  world.add(5, { x: 100, y: 0, viewRadius: 10 });
  world.remove(5);
  world.add(5, { x: 21, y: 0, viewRadius: 10 });
  // Removed, added and moved in the same tick.
  world.remove(6);
  world.add(6, { x: 0, y: 40, viewRadius: 10 });
  world.move(6, 24, 1);
  // Removed and added, then removed for good.
  world.remove(7);
  world.add(7, { x: 28, y: 0, viewRadius: 10 });
  world.remove(7);
  tick();
  world.move(2, 12, 0);
  world.move(8, 30, 2);
  tick();
  world.remove(8);
  world.add(8, { x: 31, y: 2, viewRadius: 10 });
  tick();
  recorder.close();
  writer.close();
  return { world, engineEvents, respawnTick };
}

describe('remove + add of one id in one batched tick', () => {
  const { world, engineEvents, respawnTick } = record();

  it('is recorded as respawns, and the file replays to the engine state', () => {
    const reader = openTraceReader(file);
    try {
      const ticks = [...reader.ticks()];
      const at = ticks.find((r) => r.tick === respawnTick)!;
      const respawned = at.spawns.filter((s) => s.respawn === true).map((s) => s.id);
      expect(respawned.sort()).toEqual([2, 3, 4, 5, 6, 7]);
      expect(at.despawns).toEqual([7]);
      expect(at.updates).toEqual([]);
      expect([...at.moves.ids.subarray(0, at.moves.count)]).toEqual([6]);
      const states = lifecycle(reader, 2)
        .filter((item) => item.tick === respawnTick)
        .map((item) => item.state);
      expect(states.slice(0, 2)).toEqual(['destroyed', 'created']);
      // The old entity's exits, then the new one's enters.
      expect(states.slice(2)).toEqual([...states.slice(2)].sort((a, b) => (a === b ? 0 : a === 'moved-out' ? -1 : 1)));
      expect(states).toContain('moved-out');
      const state = reader.stateAt(reader.lastTick!);
      for (const id of ids) {
        if (!world.has(id)) {
          expect(state.entities.has(id)).toBe(false);
          continue;
        }
        expect(state.viewOf(id)).toEqual(world.viewOf(id));
        expect(state.entities.get(id)).toMatchObject(world.position(id));
      }
    } finally {
      reader.close();
    }
  });

  it('detect --only ground-truth and every other detector report nothing', async () => {
    const truth = await run(['detect', file, '--only', 'ground-truth', '--tolerance', '0', '--json']);
    expect(truth.code, truth.stdout).toBe(0);
    const report = JSON.parse(truth.stdout);
    expect(report.groundTruth).toMatchObject({ extra: 0, missing: 0, late: 0, onTime: engineEvents });
    expect(report.groundTruth.expected).toBe(engineEvents);
    const all = await run(['detect', file, '--json']);
    expect(all.code, all.stdout).toBe(0);
    expect(JSON.parse(all.stdout).total).toBe(0);
  });

  it('survives an NDJSON round trip (export, import) unchanged', async () => {
    const ndjson = join(dir, 'respawn.ndjson');
    const back = join(dir, 'back.aoitrace');
    const exported = await run(['export', file, '--format', 'ndjson', '--out', ndjson]);
    expect(exported.code, exported.stderr).toBe(0);
    const line = readFileSync(ndjson, 'utf8')
      .split('\n')
      .find((l) => l.includes(`"tick":${respawnTick},`))!;
    expect(line.match(/"respawn":true/g)).toHaveLength(6);
    const imported = await run(['import', ndjson, '--out', back]);
    expect(imported.code, imported.stderr).toBe(0);
    const diff = await run(['diff', file, back]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.stdout).toContain('identical');
    const detect = await run(['detect', ndjson, '--only', 'ground-truth', '--json']);
    expect(detect.code, detect.stdout).toBe(0);
  });
});
