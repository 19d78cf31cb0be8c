import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTraceReader } from '@lanes/aoi-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { frame, openRawWebSocket } from '../packages/aoi-trace/src/serve/test-support/raw-websocket.js';
import { runAoiTrace } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (value: object) => JSON.stringify(value);
const spawn = (tick: number, id: number, x: number) =>
  line({ type: 'tick', tick, time: tick, spawns: [{ id, x, y: 0, viewRadius: 5 }] });

describe('aoi-trace serve as producers meet it', () => {
  it('takes negative --bounds, survives a bad frame, bounds sessions and says what happened to each', async () => {
    const out = join(dir, 'live.aoitrace');
    const serve = runAoiTrace([
      'serve',
      '--out',
      out,
      '--bounds',
      '-100,-100,100,100',
      '--max-sessions',
      '1',
      '--idle-timeout',
      '600',
      '--json',
    ]);
    try {
      const { url, ingest } = JSON.parse(await serve.waitForLine((l) => l.startsWith('{'), 20_000));
      const post = async (body: string, query = '') => {
        const response = await fetch(`${ingest}${query}`, { method: 'POST', body });
        return { status: response.status, reply: (await response.json()) as Record<string, unknown> };
      };
      expect(await post([line({ type: 'header', source: 'A' }), spawn(0, 1, -50)].join('\n'))).toMatchObject({
        status: 200,
        reply: { ok: true, session: 1 },
      });
      const outside = await post(line({ type: 'tick', tick: 1, time: 1, moves: [{ id: 1, x: -150, y: 0 }] }));
      expect(outside).toMatchObject({ status: 422, reply: { path: '$.moves[0].x' } });
      expect(outside.reply.reason).toMatch(/x = -150 is out of bounds \[-100, 100\]/);

      const raw = await openRawWebSocket(url);
      raw.write(frame({ rsv1: true }));
      expect((await raw.closed).code).toBe(1002);
      raw.socket.destroy();

      expect(await post([line({ type: 'header', source: 'B' }), spawn(0, 7, 10)].join('\n'))).toMatchObject({
        status: 200,
        reply: { ok: true, session: 2 },
      });
      const late = await post(spawn(1, 2, 0), '?session=1');
      expect(late).toMatchObject({ status: 409, reply: { code: 'SESSION_CLOSED' } });
      expect(late.reply.reason).toMatch(/^session #1 was closed: superseded by session #2 "B"/);
      const status = await (await fetch(`${url}/status`)).json();
      expect(status).toMatchObject({ protocolErrors: 1, limits: { maxSessions: 1, idleTimeoutMs: 600_000 } });
    } finally {
      serve.child.kill('SIGINT');
      expect(await serve.exit()).toBe(0);
    }
    expect(serve.stderr()).toContain(`recording session #1 "A" to ${out}`);
    expect(serve.stderr()).toContain(
      `session #1 "A" closed: superseded by session #2 "B" (at most 1 open session; it was the least recently active); ${out} is complete up to tick 0`,
    );
    expect(serve.stderr()).toContain('session #2 "B" closed: the server shut down');
    for (const [path, ids] of [
      [out, [1]],
      [join(dir, 'live-2.aoitrace'), [7]],
    ] as const) {
      const reader = openTraceReader(path);
      expect(reader.integrity.complete).toBe(true);
      expect([...reader.stateAt(0).entities.keys()]).toEqual(ids);
      reader.close();
    }
  });
});
