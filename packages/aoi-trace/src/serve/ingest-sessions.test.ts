import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { FileTarget } from '../format/io.js';
import { openTraceReader } from '../format/trace-reader.js';
import { openTraceWriter, TraceWriter } from '../format/trace-writer.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TraceHeader } from '../model/types.js';
import type { IngestReply } from './ingest-batch.js';
import { type IngestServer, type IngestServerOptions, type IngestStatus, startIngestServer } from './ingest-server.js';
import { IngestSessions, type SessionEvent } from './ingest-sessions.js';
import { body, traceLines } from './test-support/trace-lines.js';
import { wsProducer } from './test-support/ws-producer.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-ingest-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const servers: IngestServer[] = [];
const opened: WebSocket[] = [];
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server recording each session to `<prefix>-<id>.aoitrace` under the test folder. */
async function start(prefix: string, options: IngestServerOptions = {}) {
  const paths: string[] = [];
  const server = await startIngestServer({
    sink: (_header: TraceHeader, session: number) => openTraceWriter(paths[paths.push(file(prefix, session)) - 1]!),
    ...options,
  });
  servers.push(server);
  return { server, paths };
}

const file = (prefix: string, session: number) => join(dir, `${prefix}-${session}.aoitrace`);

/** Files under `prefix` this process holds open, from /proc/self/fd. */
function openFiles(prefix: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(join(dir, `${prefix}-`))) open.push(target);
    } catch {
      // The fd readdir itself used is gone by now.
    }
  }
  return open.sort();
}

async function post(server: IngestServer, text: string, query = ''): Promise<{ status: number; reply: IngestReply }> {
  const response = await fetch(`${server.url}/ingest${query}`, { method: 'POST', body: text });
  return { status: response.status, reply: (await response.json()) as IngestReply };
}

async function getStatus(server: IngestServer): Promise<IngestStatus> {
  return (await (await fetch(`${server.url}/status`)).json()) as IngestStatus;
}

const header = (source: string) => JSON.stringify({ type: 'header', source });
const spawnTick = (tick: number, id: number) =>
  JSON.stringify({ type: 'tick', tick, time: tick, spawns: [{ id, x: id, y: 0, viewRadius: 5 }] });

function nextEvent(server: IngestServer, type: SessionEvent['type']): Promise<SessionEvent> {
  return new Promise((resolve) => {
    const off = server.onSessionEvent((event) => {
      if (event.type !== type) return;
      off();
      resolve(event);
    });
  });
}

describe('ingest sessions', () => {
  it('keeps at most maxSessions open: 200 headers leave 3 open files, every closed file complete', async () => {
    const { server, paths } = await start('many', { maxSessions: 3 });
    for (let i = 1; i <= 200; i++) {
      expect((await post(server, body([header(`producer ${i}`), spawnTick(0, i)]))).reply.ok).toBe(true);
    }
    expect(openFiles('many')).toEqual([file('many', 198), file('many', 199), file('many', 200)]);
    const status = await getStatus(server);
    expect(status.open.map((session) => session.id)).toEqual([198, 199, 200]);
    expect(status.closed).toHaveLength(16);
    expect(status.closed.at(-1)).toMatchObject({ id: 197, lastTick: 0 });
    expect(status.closed.at(-1)!.reason).toMatch(/superseded by session #200 "producer 200" \(at most 3 open sessions/);
    const first = openTraceReader(paths[0]!);
    expect([first.integrity.complete, [...first.ticks()].map((record) => record.tick)]).toEqual([true, [0]]);
    first.close();
    await server.close();
    expect(openFiles('many')).toEqual([]);
  });

  it('tells the producer whose session was superseded, and never feeds its ticks to the new one', async () => {
    const { server } = await start('superseded', { maxSessions: 1 });
    const { lines } = traceLines();
    const sendA = await wsProducer(server, opened);
    expect(await sendA(lines.slice(0, 3).join('\n'))).toMatchObject({ ok: true, lastTick: 1 });
    expect((await post(server, body([header('B'), spawnTick(0, 1)]))).reply).toMatchObject({ ok: true });
    expect(openFiles('superseded')).toEqual([file('superseded', 2)]);
    const refused = await sendA(lines[3]!);
    expect(refused).toMatchObject({ ok: false, accepted: 0, code: 'SESSION_CLOSED', session: 1, lastTick: 1 });
    expect(refused.reason).toMatch(/^session #1 was closed: superseded by session #2 "B" \(at most 1 open session;/);
    expect(server.state.entities.size).toBe(1); // B's world only
    expect((await getStatus(server)).closed).toMatchObject([{ id: 1, source: 'test-producer', lastTick: 1 }]);

    // Sending the header again starts over, as a new session that supersedes B in turn.
    expect(await sendA(lines.slice(0, 3).join('\n'))).toMatchObject({ ok: true, session: 3, lastTick: 1 });
    expect((await getStatus(server)).closed.map((session) => session.id)).toEqual([1, 2]);
  });

  it('runs producers side by side, each body or connection in its own session', async () => {
    const { server, paths } = await start('side', { maxSessions: 2 });
    const sendA = await wsProducer(server, opened);
    expect(await sendA([header('A'), spawnTick(0, 1)].join('\n'))).toMatchObject({ ok: true, session: 1 });
    expect((await post(server, body([header('B'), spawnTick(0, 7)]))).reply).toMatchObject({ session: 2 });
    expect(await sendA(spawnTick(1, 2))).toMatchObject({ ok: true, session: 1, lastTick: 1 });

    const ambiguous = await post(server, body([spawnTick(1, 8)]));
    expect([ambiguous.status, ambiguous.reply.code]).toEqual([409, 'SESSION_AMBIGUOUS']);
    expect(ambiguous.reply.reason).toContain('open sessions: #1 "A", #2 "B"');
    expect((await post(server, body([spawnTick(1, 8)]), '?session=2')).reply).toMatchObject({ ok: true, lastTick: 1 });
    expect((await post(server, body([spawnTick(2, 9)]), '?session=5')).reply.code).toBe('UNKNOWN_SESSION');
    expect((await post(server, '', '?session=x')).status).toBe(400);

    await server.close();
    const ids = paths.map((path) => {
      const reader = openTraceReader(path);
      const entities = [...reader.stateAt(1).entities.keys()].sort();
      reader.close();
      return entities;
    });
    expect(ids).toEqual([
      [1, 2],
      [7, 8],
    ]);
  });

  it('closes a session idle past idleTimeoutMs, its file too, and says so at its next line', async () => {
    const { server } = await start('idle', { idleTimeoutMs: 50 });
    const send = await wsProducer(server, opened);
    const closed = nextEvent(server, 'closed');
    expect(await send([header('sleepy'), spawnTick(0, 1)].join('\n'))).toMatchObject({ ok: true });
    const event = await closed;
    expect(event).toMatchObject({ session: { id: 1 }, lastTick: 0 });
    if (event.type === 'closed') expect(event.reason).toMatch(/^no line for \d+ s \(idle timeout 0.05 s\)$/);
    expect(openFiles('idle')).toEqual([]);
    const refused = await send(spawnTick(1, 2));
    expect(refused).toMatchObject({ ok: false, code: 'SESSION_CLOSED' });
    expect(refused.reason).toMatch(/^session #1 was closed: no line for \d+ s \(idle timeout 0.05 s\)/);
  });

  it('never closes the one session of a single sink for idleness (it could not start again)', () => {
    let now = 0;
    const limits = { maxSessions: 4, idleTimeoutMs: 10 };
    const single = new IngestSessions(new MemoryTrace(), {}, limits, () => now);
    const perSession = new IngestSessions(
      () => new MemoryTrace(),
      {},
      limits,
      () => now,
    );
    const { lines } = traceLines();
    for (const sessions of [single, perSession]) {
      for (const [i, text] of lines.slice(0, 3).entries()) expect(sessions.ingest(text, i + 1, {})).toBeUndefined();
    }
    now = 1000;
    single.sweep();
    perSession.sweep();
    expect(single.openSessions().map((session) => session.id)).toEqual([1]);
    expect(perSession.openSessions()).toEqual([]);
    expect(perSession.closed).toMatchObject([{ id: 1, reason: 'no line for 1 s (idle timeout 0.01 s)' }]);
  });

  it('refuses the tick a sink fails on, then goes on without recording', async () => {
    let writes = 0;
    const target = new FileTarget(file('sink', 1));
    // Fails the 7th write (file header, header chunk, then one chunk per tick from tick 0): tick 4's chunk, which
    // the writer flushes when tick 5 arrives (chunkTicks 1).
    const failing = {
      write: (bytes: Uint8Array, position: number) => {
        if (++writes === 7) throw new Error('ENOSPC: no space left on device');
        target.write(bytes, position);
      },
      close: () => target.close(),
    };
    const server = await startIngestServer({ sink: () => new TraceWriter(failing, { chunkTicks: 1 }) });
    servers.push(server);
    const stopped = nextEvent(server, 'recording-stopped');
    const { lines } = traceLines();
    expect((await post(server, body(lines.slice(0, 6)))).reply).toMatchObject({ ok: true, lastTick: 4 });
    const failed = await post(server, body(lines.slice(6)));
    expect([failed.status, failed.reply.code, failed.reply.tick, failed.reply.lastTick]).toEqual([
      500,
      'SINK_FAILED',
      5,
      4,
    ]);
    expect(failed.reply.reason).toBe(
      'tick 5 was not applied: the sink failed at tick 5 (ENOSPC: no space left on device). Session #1 goes on without recording.',
    );
    expect(await stopped).toMatchObject({ session: { id: 1 } });
    expect(openFiles('sink')).toEqual([]);

    expect(await post(server, body(lines.slice(6)))).toEqual({
      status: 200,
      reply: { ok: true, accepted: 5, lastTick: 9, session: 1 },
    });
    expect((await getStatus(server)).open).toMatchObject([{ id: 1, recording: false, lastTick: 9 }]);
  });
});
