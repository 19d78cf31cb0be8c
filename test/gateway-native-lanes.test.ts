import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNativeLaneModule } from '@lanes/gateway';
import { extractLane, type LaneCarrier, type TraceContextLevel } from '@lanes/trace-context';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANE_MATCH_CASES } from '../packages/lanes-aws/src/synth/lane-match-cases.js';
import { LANE_HEADER_PIECES } from './support/lane-header-pieces.js';

/**
 * native/ (the C lane parser inside nginx) against @lanes/trace-context's extractLane: real nginx masters that
 * answer `$lanes_native_lane`, raw requests carrying several fields, hostile bytes and sizes past every limit.
 */

type Fields = { tracestate?: string[]; baggage?: string[] };
interface Parser {
  carriers: LaneCarrier[];
  level: TraceContextLevel;
  port: number;
  child: ChildProcess;
  prefix: string;
}

const COMBOS: { carriers: LaneCarrier[]; level: TraceContextLevel }[] = [
  { carriers: ['tracestate', 'baggage'], level: 2 },
  { carriers: ['tracestate', 'baggage'], level: 1 },
  { carriers: ['baggage', 'tracestate'], level: 2 },
  { carriers: ['baggage'], level: 1 },
];

const parsers: Parser[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One request on its own connection, header fields as raw bytes (latin1); the answer's body. */
function ask(port: number, fields: Fields): Promise<{ status: number; body: string }> {
  const lines = ['GET / HTTP/1.1', 'Host: lanes.test', 'Connection: close'];
  for (const value of fields.tracestate ?? []) lines.push(`tracestate: ${value}`);
  for (const value of fields.baggage ?? []) lines.push(`baggage: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.end(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
  });
}

async function startParser(
  module: string,
  carriers: LaneCarrier[],
  level: TraceContextLevel,
  index: number,
): Promise<void> {
  const prefix = mkdtempSync(join(tmpdir(), 'lanes-native-lanes-'));
  chmodSync(prefix, 0o755);
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    [
      `load_module ${module};`,
      'worker_processes 1;',
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
      // Room for the hostile sizes below: fields past 8 KiB and combined values past 64 KiB.
      '  client_header_buffer_size 1k;',
      '  large_client_header_buffers 8 80k;',
      `  lanes_carriers ${carriers.join(' ')};`,
      `  lanes_trace_context_level ${level};`,
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    location / { return 200 "[$lanes_native_lane]"; }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log'), '-g', 'daemon off;'], {
    stdio: 'ignore',
    detached: true,
  });
  parsers[index] = { carriers, level, port, child, prefix };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const answer = await ask(port, {}).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  const module = (await buildNativeLaneModule({ timeoutMs: 240_000 })).path;
  await Promise.all(COMBOS.map((c, i) => startParser(module, c.carriers, c.level, i)));
}, 300_000);

afterAll(() => {
  for (const parser of parsers) {
    if (!parser) continue;
    try {
      if (parser.child.pid !== undefined) process.kill(-parser.child.pid, 'SIGKILL');
    } catch {}
    rmSync(parser.prefix, { recursive: true, force: true });
  }
});

/** What the gateway reads from the same fields (Node hands them over as latin1 strings, one per field). */
function expected(fields: Fields, parser: Parser): string {
  return extractLane(fields, { carriers: parser.carriers, traceContextLevel: parser.level })?.lane ?? '';
}

async function expectSame(fields: Fields): Promise<void> {
  for (const parser of parsers) {
    const answer = await ask(parser.port, fields);
    expect(answer.status, JSON.stringify(fields)).toBe(200);
    expect(answer.body, `${JSON.stringify(fields)} with ${parser.carriers} level ${parser.level}`).toBe(
      `[${expected(fields, parser)}]`,
    );
  }
}

const asList = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? [value] : value;

/** The njs test's pieces, plus bytes nginx lets through in a field value and more near misses. */
const PIECES = [
  ...LANE_HEADER_PIECES,
  'ctx=lane:a-',
  'ctx=lane:blue',
  'lane=%67ray',
  'lane=%FF',
  'lane=gray; p = v ',
  'T@sys=2',
  '1a@b=1',
  'v=x\ty',
  'v=\u00e9',
  'v=\u0001',
  'v=\u007f',
  'k=a=b',
] as const;
const value = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(','))
  // nginx and Node both drop whitespace around a field value; an empty field is still a field.
  .map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
const fieldList = fc.option(fc.array(value, { minLength: 1, maxLength: 3 }), { nil: undefined });

describe('the native lane module reads lanes as @lanes/trace-context does', () => {
  it('over the lane match case table', async () => {
    for (const c of LANE_MATCH_CASES) {
      await expectSame({
        ...(c.headers.tracestate === undefined ? {} : { tracestate: asList(c.headers.tracestate)! }),
        ...(c.headers.baggage === undefined ? {} : { baggage: asList(c.headers.baggage)! }),
      });
    }
  });

  it('over random field lists, both carrier orders, both Trace Context levels', async () => {
    await fc.assert(
      fc.asyncProperty(fieldList, fieldList, async (tracestate, baggage) => {
        await expectSame({ ...(tracestate ? { tracestate } : {}), ...(baggage ? { baggage } : {}) });
      }),
      { numRuns: 400 },
    );
  });

  it('at and past every size limit', async () => {
    const members = (n: number, prefix: string): string =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}=v`).join(',');
    const longValue = (n: number): string => `k=${'v'.repeat(n)}`;
    const filler = (bytes: number): string => `f=${'x'.repeat(bytes - 2)}`;
    const cases: Fields[] = [
      // 32 members are the most a tracestate may have; the lane in the 32nd or a 33rd member.
      { tracestate: [`${members(31, 'm')},ctx=lane:gray`] },
      { tracestate: [`${members(32, 'm')},ctx=lane:gray`] },
      { tracestate: [members(20, 'a'), `${members(11, 'b')},ctx=lane:gray`] },
      { tracestate: [members(20, 'a'), `${members(12, 'b')},ctx=lane:gray`] },
      // Values of 256 and 257 chars, keys of 256 and 257.
      { tracestate: [`${longValue(256)},ctx=lane:gray`] },
      { tracestate: [`${longValue(257)},ctx=lane:gray`] },
      { tracestate: [`${'k'.repeat(256)}=1,ctx=lane:gray`] },
      { tracestate: [`${'k'.repeat(257)}=1,ctx=lane:gray`] },
      { tracestate: [`${'t'.repeat(241)}@s=1,ctx=lane:gray`] },
      { tracestate: [`${'t'.repeat(242)}@s=1,ctx=lane:gray`] },
      { tracestate: [`t@${'s'.repeat(14)}=1,ctx=lane:gray`] },
      { tracestate: [`t@${'s'.repeat(15)}=1,ctx=lane:gray`] },
      // Lane names of 63 and 64 chars.
      { tracestate: [`ctx=lane:${'a'.repeat(63)}`] },
      { tracestate: [`ctx=lane:${'a'.repeat(64)}`] },
      { baggage: [`lane=${'a'.repeat(63)}`] },
      { baggage: [`lane=${'a'.repeat(64)}`] },
      { baggage: [`lane=${'%61'.repeat(63)}`] },
      { baggage: [`lane=${'%61'.repeat(64)}`] },
      // Baggage keeps 8192 bytes: a lane member just inside and just past it, over several fields.
      { baggage: [filler(4000), filler(4000), 'lane=gray'] },
      { baggage: [filler(4000), filler(4182), 'lane=gray'] },
      { baggage: [filler(4000), filler(4181), 'lane=gray'] },
      { baggage: [filler(8192), 'lane=gray'] },
      // Combined values past 64 KiB are refused whole; the other carrier still counts.
      { tracestate: ['ctx=lane:gray', ...Array.from({ length: 5 }, () => `x=${'v'.repeat(13_000)}`)] },
      { tracestate: ['ctx=lane:gray', `x=${'v'.repeat(65_000)}`], baggage: ['lane=blue'] },
      { baggage: ['lane=blue', ...Array.from({ length: 5 }, () => filler(13_200))] },
      // Many small fields.
      { tracestate: Array.from({ length: 40 }, (_, i) => `k${i}=1`) },
      { baggage: [...Array.from({ length: 60 }, () => 'lane=gray'), 'lane=blue'] },
    ];
    for (const fields of cases) await expectSame(fields);
  });
});
