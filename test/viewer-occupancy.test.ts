// GET /api/occupancy: entities per cell at a tick, for the map's heat layer, counted with the engine's cell size
// recorded in the trace header. A stand-in client folder keeps the test off the Vite build (no page is loaded).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import type { ApiError, OccupancyResult } from '../packages/aoi-viewer/src/protocol/api-types.js';

/** Cells of edge 10 at tick 0: (0,0) holds 3, (1,0) one, (-1,-1) one. At tick 1 entity 4 joins (0,0). */
function record(world: AoiWorld): MemoryTrace {
  const trace = new MemoryTrace();
  const recorder = recordWorld(world, trace);
  const places = [
    [1, 1],
    [2, 9.5],
    [9.99, 0],
    [15, 5],
    [-5, -0.5],
  ];
  for (const [i, [x, y]] of places.entries()) world.add(i + 1, { x: x!, y: y!, viewRadius: 2 });
  recorder.tick();
  world.move(4, 5, 5);
  recorder.tick();
  recorder.close();
  return trace;
}

describe('aoi-viewer /api/occupancy', () => {
  let client: string;
  const viewers: RunningViewer[] = [];
  let sized: RunningViewer;
  let unsized: RunningViewer;

  beforeAll(async () => {
    client = await mkdtemp(join(tmpdir(), 'viewer-client-'));
    await writeFile(join(client, 'index.html'), '<!doctype html>');
    sized = await startViewer({
      source: new FileDataSource(record(new AoiWorld({ mode: 'batched', cellSize: 10 }))),
      clientDir: client,
    });
    viewers.push(sized);
    unsized = await startViewer({
      source: new FileDataSource(record(new AoiWorld({ mode: 'batched' }))),
      clientDir: client,
    });
    viewers.push(unsized);
  });
  afterAll(async () => {
    for (const viewer of viewers) await viewer.close();
    await rm(client, { recursive: true, force: true });
  });

  const get = async (viewer: RunningViewer, path: string) => fetch(new URL(path, viewer.url));
  const occupancy = async (viewer: RunningViewer, path: string) =>
    (await (await get(viewer, path)).json()) as OccupancyResult;

  it("counts a tick's entities per cell with the cell size recorded in the header", async () => {
    const first = await occupancy(sized, 'api/occupancy?tick=0');
    expect(first).toMatchObject({
      tick: 0,
      cellSize: 10,
      cellSizeFrom: 'header',
      entities: 5,
      cells: 3,
      max: 3,
      gx: [-1, 0, 1],
      gy: [-1, 0, 0],
      counts: [1, 3, 1],
      truncated: false,
    });
    expect(first.mean).toBeCloseTo(5 / 3, 12);
    expect(first.stdDev).toBeCloseTo(Math.sqrt(8 / 9), 12);
    const second = await occupancy(sized, 'api/occupancy?tick=1');
    expect([second.gx, second.gy, second.counts]).toEqual([
      [-1, 0],
      [-1, 0],
      [1, 4],
    ]);
    expect(second.stdDev).toBe(1.5);
  });

  it("takes the query's cell size, else the header's region size when the engine's is not recorded", async () => {
    const small = await occupancy(sized, 'api/occupancy?tick=1&cellSize=5');
    expect(small).toMatchObject({ cellSize: 5, cellSizeFrom: 'query', cells: 5, max: 1, stdDev: 0 });
    const fallback = await occupancy(unsized, 'api/occupancy?tick=0');
    // The recorder's default region size is 64: every entity in (0,0) but the one at (-5,-0.5).
    expect(fallback).toMatchObject({ cellSize: 64, cellSizeFrom: 'regionSize', counts: [1, 4] });
  });

  it('refuses a cell size that is not a positive number, naming the parameter', async () => {
    for (const bad of ['0', '-3', 'abc', 'Infinity']) {
      const response = await get(sized, `api/occupancy?tick=0&cellSize=${bad}`);
      expect(response.status, bad).toBe(400);
      const body = (await response.json()) as ApiError;
      expect(body.error.message).toContain("'cellSize'");
    }
    expect((await get(sized, 'api/occupancy')).status).toBe(400);
  });
});
