import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { WorldState } from '../model/world-state.js';
import type { IngestReply } from './ingest-batch.js';
import { type IngestServer, type IngestServerOptions, type IngestStatus, startIngestServer } from './ingest-server.js';
import { body, traceLines } from './test-support/trace-lines.js';

const servers: IngestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: IngestServerOptions = {}): Promise<IngestServer> {
  const server = await startIngestServer(options);
  servers.push(server);
  return server;
}

async function post(server: IngestServer, text: string): Promise<{ status: number; reply: IngestReply }> {
  const response = await fetch(`${server.url}/ingest`, { method: 'POST', body: text });
  return { status: response.status, reply: (await response.json()) as IngestReply };
}

async function getStatus(server: IngestServer): Promise<IngestStatus> {
  return (await (await fetch(`${server.url}/status`)).json()) as IngestStatus;
}

/** Everything a rejected line must leave unchanged. */
const snapshot = (server: IngestServer) =>
  JSON.stringify({
    tick: server.state.tick,
    entities: [...server.state.entities.values()],
    views: server.state.viewOf(1),
  });

describe('POST /ingest', () => {
  it('accepts a valid stream across requests and reflects it in /status, the sink, the state and listeners', async () => {
    const sink = new MemoryTrace();
    const server = await start({ sink });
    const seen: number[] = [];
    const unsubscribe = server.onTick((record) => seen.push(record.tick));
    const { lines, trace } = traceLines();

    expect(await post(server, body(lines.slice(0, 6)))).toEqual({
      status: 200,
      reply: { ok: true, accepted: 6, lastTick: 4, session: 1 },
    });
    expect(await post(server, body(lines.slice(6)))).toEqual({
      status: 200,
      reply: { ok: true, accepted: 5, lastTick: 9, session: 1 },
    });

    const status = await getStatus(server);
    expect(status).toMatchObject({ lastTick: 9, entities: 20, accepted: 11, rejected: 0, sessions: 1 });
    expect(status.session?.source).toBe('test-producer');
    expect(sink.header).toEqual(trace.header);
    for (const [i, record] of sink.records.entries()) expect(record).toEqual(trace.records[i]);
    expect(sink.records).toHaveLength(10);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const replay = new WorldState();
    for (const record of trace.ticks()) replay.apply(record);
    for (let id = 0; id < 20; id++) expect(server.state.viewOf(id)).toEqual(replay.viewOf(id));

    unsubscribe();
    expect((await post(server, body([lines[0]!]))).status).toBe(200); // the same header continues the session
    expect(seen).toHaveLength(10);
  });

  it('rejects each class of bad line with its line, path and reason, keeping the lines before it', async () => {
    const sink = new MemoryTrace();
    const server = await start({ sink });
    const { lines } = traceLines();
    await post(server, body(lines.slice(0, 4))); // header + ticks 0..2
    const before = snapshot(server);
    const tick = (fields: string) => `{"type":"tick","tick":3,"time":1700000000200,${fields}}`;
    const cases: [line: string, status: number, path: string, code: string, entity?: number][] = [
      [tick('"moves":[{"id":99,"x":1,"y":1}]'), 422, '$.moves[0].id', 'AOITRACE_INVALID_RECORD', 99],
      [tick('"spawns":[{"id":3,"x":1,"y":1}]'), 422, '$.spawns[0].id', 'AOITRACE_INVALID_RECORD', 3],
      [tick('"despawns":[1,1]'), 422, '$.despawns[1]', 'AOITRACE_INVALID_RECORD', 1],
      [
        tick('"events":[{"kind":"enter","watcher":1,"target":42}]'),
        422,
        '$.events[0].target',
        'AOITRACE_INVALID_RECORD',
        42,
      ],
      [
        tick('"span":{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"XYZ"}'),
        422,
        '$.span.spanId',
        'AOITRACE_INVALID_RECORD',
      ],
      [tick('"eventBase":0'), 422, '$.eventBase', 'AOITRACE_INVALID_RECORD'],
      ['{"type":"tick","tick":2,"time":0}', 422, '$.tick', 'AOITRACE_INVALID_RECORD'],
      [tick('"moves":[{"id":1,"x":"1","y":1}]'), 400, '$.moves[0].x', 'AOITRACE_INVALID_RECORD'],
      [tick('"moves":[{"id":1,"x":1,"y":1'), 400, '$', 'AOITRACE_INVALID_RECORD'],
      ['{"type":"frame"}', 400, '$.type', 'AOITRACE_INVALID_RECORD'],
      ['{"type":"header","version":3}', 400, '$.version', 'AOITRACE_BAD_FORMAT'],
    ];
    for (const [line, status, path, code, entity] of cases) {
      const result = await post(server, body([line]));
      expect(result.status, line).toBe(status);
      expect(result.reply, line).toMatchObject({ ok: false, accepted: 0, lastTick: 2, line: 1, path, code });
      expect(result.reply.entity, line).toBe(entity);
      expect(result.reply.reason, line).toContain(path);
      expect(snapshot(server)).toBe(before);
    }
    expect(sink.records).toHaveLength(3);

    // Good lines before a bad one stay applied; the bad one and everything after it are not.
    const bad = '{"type":"tick","tick":5,"time":1700000000300,"moves":[{"id":99,"x":1,"y":1}]}';
    const mixed = await post(server, body([lines[4]!, lines[5]!, bad, lines[6]!]));
    expect(mixed.status).toBe(422);
    expect(mixed.reply).toMatchObject({ ok: false, accepted: 2, lastTick: 4, line: 3, entity: 99 });
    expect(await getStatus(server)).toMatchObject({ lastTick: 4, accepted: 6, rejected: cases.length + 1 });
  });

  it('needs a header before ticks, and refuses a second trace into a one-trace sink', async () => {
    const server = await start({ sink: new MemoryTrace() });
    const { lines } = traceLines();
    const early = await post(server, body([lines[1]!]));
    expect([early.status, early.reply.code]).toEqual([409, 'NO_SESSION']);
    await post(server, body(lines.slice(0, 2)));
    const other = await post(server, body(['{"type":"header","source":"another"}']));
    expect([other.status, other.reply.code]).toEqual([409, 'SESSION_CONFLICT']);
    expect((await getStatus(server)).session?.source).toBe('test-producer');
  });

  it('starts a new session per header with a sink factory', async () => {
    const sinks: MemoryTrace[] = [];
    const server = await start({ sink: () => sinks[sinks.push(new MemoryTrace()) - 1]! });
    const { lines } = traceLines();
    await post(server, body(lines.slice(0, 3)));
    const next = await post(server, body(['{"type":"header","source":"second"}', '{"type":"tick","tick":0,"time":5}']));
    expect(next.reply).toEqual({ ok: true, accepted: 2, lastTick: 0, session: 2 });
    expect(sinks.map((sink) => sink.records.length)).toEqual([2, 1]);
    expect(await getStatus(server)).toMatchObject({ sessions: 2, entities: 0, session: { source: 'second' } });
  });

  it('refuses bodies and lines over the limits with 413, applying nothing of the cut line', async () => {
    const server = await start({ maxBodyBytes: 6000, maxLineBytes: 3600 });
    const { lines } = traceLines();
    await post(server, body(lines.slice(0, 2)));
    const before = snapshot(server);
    const huge = await post(server, body(lines.slice(2)) + ' '.repeat(2500));
    expect(huge.status).toBe(413);
    expect(huge.reply).toMatchObject({ ok: false, accepted: 0, code: 'BODY_TOO_LARGE' });
    expect(huge.reply.reason).toMatch(/6000 bytes/);
    const long = `{"type":"tick","tick":1,"time":0,"pad":"${'x'.repeat(3700)}"}`;
    const tooLong = await post(server, body([lines[2]!, long]));
    expect(tooLong.status).toBe(413);
    expect(tooLong.reply).toMatchObject({ ok: false, line: 2, path: '$' });
    expect(tooLong.reply.reason).toMatch(/3600 bytes/);
    // The line before the long one was whole, so it was applied.
    expect(tooLong.reply.accepted).toBe(1);
    expect(snapshot(server)).not.toBe(before);
    expect(server.state.tick).toBe(1);
  });

  it('flags positions out of bounds and impossible speeds (the seed eBPF filter) without applying them', async () => {
    const server = await start({ bounds: [0, 0, 100, 100], maxSpeed: 20 });
    const spawn = '{"type":"tick","tick":0,"time":0,"spawns":[{"id":7,"x":50,"y":50}]}';
    expect((await post(server, body(['{"type":"header"}', spawn]))).status).toBe(200);
    const outside = await post(server, body(['{"type":"tick","tick":1,"time":50,"moves":[{"id":7,"x":150,"y":50}]}']));
    expect(outside.status).toBe(422);
    expect(outside.reply).toMatchObject({ path: '$.moves[0].x', entity: 7, tick: 1 });
    expect(outside.reply.reason).toMatch(/out of bounds/);
    const fast = await post(server, body(['{"type":"tick","tick":1,"time":50,"moves":[{"id":7,"x":90,"y":50}]}']));
    expect(fast.reply).toMatchObject({ ok: false, path: '$.moves[0]', entity: 7 });
    expect(server.state.entities.get(7)).toMatchObject({ x: 50, y: 50 });
    const teleport = '{"type":"tick","tick":1,"time":50,"moves":[{"id":7,"x":90,"y":50,"teleport":true}]}';
    expect((await post(server, body([teleport]))).status).toBe(200);
  });

  it('answers unknown routes with 404', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/POST \/ingest/);
  });
});
