// The viewer's HTTP API without a browser: binary frames round-trip, seeks match a full replay, bad requests get
// clear errors.
import { WorldState } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileDataSource,
  ReplaySeekableTrace,
  type RunningViewer,
  startViewer,
} from '../packages/aoi-viewer/src/index.js';
import type { ApiError, ViewerInfo } from '../packages/aoi-viewer/src/protocol/api-types.js';
import { stateViews, TickFrameSplitter } from '../packages/aoi-viewer/src/protocol/wire.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { type RecordedScenario, recordScenario } from '../packages/aoi-viewer/src/test-support/scenario.js';

describe('aoi-viewer API', () => {
  let scenario: RecordedScenario;
  let viewer: RunningViewer;

  beforeAll(async () => {
    await ensureClientBuilt();
    scenario = recordScenario();
    viewer = await startViewer({ source: new FileDataSource(scenario.trace) });
  }, 60_000);

  afterAll(() => viewer?.close());

  const get = (path: string) => fetch(new URL(path, viewer.url));

  it('describes the source: tick range and tag table', async () => {
    const info = (await (await get('api/info')).json()) as ViewerInfo;
    expect(info.sources[0]).toMatchObject({ id: 'a', kind: 'file', first: 0, last: 59, tags: ['player', 'npc'] });
  });

  it('sends the state at a tick as columns equal to the replayed world', async () => {
    const frame = stateViews(await (await get('api/state?tick=42')).arrayBuffer());
    expect(frame.tick).toBe(42);
    expect(frame.count).toBe(39);
    const truth = scenario.positions[42]!;
    for (let i = 0; i < frame.count; i++) {
      const p = truth.get(frame.ids[i]!)!;
      expect([frame.xs[i], frame.ys[i]]).toEqual([Math.fround(p.x), Math.fround(p.y)]);
      expect(frame.tagMasks[i]).toBe(frame.ids[i]! % 2 === 0 ? 1 : 2);
    }
  });

  it('streams a window of ticks as frames that replay to the same positions', async () => {
    const splitter = new TickFrameSplitter();
    const frames = splitter.push(new Uint8Array(await (await get('api/ticks?from=40&to=46')).arrayBuffer()));
    expect(frames.map((f) => f.tick)).toEqual([40, 41, 42, 43, 44, 45, 46]);
    expect(splitter.incomplete).toBe(false);
    expect(Array.from(frames[0]!.despawnIds)).toEqual([1]);
    expect(Array.from(frames[5]!.spawnIds)).toEqual([1]);
    const record = scenario.trace.records[43]!;
    expect(Array.from(frames[3]!.moveIds)).toEqual(Array.from(record.moves.ids));
  });

  it('splits a stream whatever the chunk boundaries', async () => {
    const bytes = new Uint8Array(await (await get('api/ticks?from=0&to=9')).arrayBuffer());
    const splitter = new TickFrameSplitter();
    const ticks: number[] = [];
    for (let at = 0; at < bytes.length; at += 37) {
      for (const frame of splitter.push(bytes.subarray(at, at + 37))) ticks.push(frame.tick);
    }
    expect(ticks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('answers bad requests with a code and the parameter at fault', async () => {
    const cases: [string, number, string][] = [
      ['api/state?tick=abc', 400, "'tick' must be an integer"],
      ['api/state', 400, "'tick' is required"],
      ['api/ticks?from=0&to=100000', 400, 'too long'],
      ['api/ticks?from=9&to=3', 400, 'empty'],
      ['api/diff?sourceA=a&tickA=1&sourceB=b&tickB=1', 400, "no source 'b'"],
      ['api/nope', 400, 'unknown API route'],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      const body = (await response.json()) as ApiError;
      expect(body.error.code, path).toBe('AOITRACE_INVALID_ARGUMENT');
      expect(body.error.message, path).toContain(message);
    }
    expect((await get('/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await get('/')).headers.get('content-type')).toContain('text/html');
  });

  it('seeks with keyframes to the same world as a replay from the start', () => {
    const seekable = new ReplaySeekableTrace(scenario.trace, { keyframeEvery: 7 });
    for (const tick of [50, 3, 59, 0, 21, 44, 100]) {
      const replay = new WorldState();
      for (const record of scenario.trace.ticks({ to: tick })) replay.apply(record);
      const seek = seekable.stateAt(tick);
      expect(seek.tick).toBe(replay.tick);
      expect([...seek.entities.keys()].sort()).toEqual([...replay.entities.keys()].sort());
      for (const id of replay.views.keys()) expect(seek.viewOf(id)).toEqual(replay.viewOf(id));
    }
  });
});
