import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openTraceReader } from '../format/trace-reader.js';
import { openTraceWriter } from '../format/trace-writer.js';
import type { IngestReply } from './ingest-batch.js';
import { type IngestServer, startIngestServer } from './ingest-server.js';
import { body, traceLines } from './test-support/trace-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-ingest-limits-'));
let server: IngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(text: string): Promise<{ status: number; reply: IngestReply }> {
  const response = await fetch(`${server!.url}/ingest`, { method: 'POST', body: text });
  return { status: response.status, reply: (await response.json()) as IngestReply };
}

describe('live ingest of values the format cannot store', () => {
  it('refuses x = 1e308 at validation, and the session and its recording go on', async () => {
    const path = join(dir, 'live.aoitrace');
    const writer = openTraceWriter(path);
    server = await startIngestServer({ sink: writer });
    const { lines, trace } = traceLines();
    expect((await post(body(lines.slice(0, 4)))).status).toBe(200); // header, ticks 0..2
    const huge = '{"type":"tick","tick":3,"time":1700000000200,"moves":[{"id":1,"x":1e308,"y":0}]}';
    const refused = await post(body([huge]));
    expect(refused.status).toBe(422);
    expect(refused.reply).toMatchObject({ code: 'AOITRACE_INVALID_RECORD', path: '$.moves[0].x', entity: 1, tick: 3 });
    expect(refused.reply.reason).toMatch(/x = 1e\+308 is beyond ±274877906944/);

    const rest = await post(body(lines.slice(4)));
    expect(rest).toEqual({ status: 200, reply: { ok: true, accepted: 7, lastTick: 9, session: 1 } });
    writer.close();
    const reader = openTraceReader(path);
    expect([...reader.ticks()].map((record) => record.tick)).toEqual(trace.records.map((record) => record.tick));
    expect(reader.integrity.complete).toBe(true);
    reader.close();
  });
});
