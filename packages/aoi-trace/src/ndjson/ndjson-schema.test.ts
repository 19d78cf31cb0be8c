import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AoiWorld } from '@lanes/aoi';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceErrorCode } from '../errors.js';
import { recordRun } from '../format/test-support/recorded-runs.js';
import { MemoryTrace } from '../model/memory-trace.js';
import { TRACE_LIMITS } from '../model/trace-limits.js';
import { WorldState } from '../model/world-state.js';
import { recordWorld } from '../record/recorder.js';
import { SCENARIO_NAMES, simulate } from '../simulate/index.js';
import { ndjsonTickLine } from './ndjson-encode.js';
import { NdjsonReader } from './ndjson-reader.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { parseNdjsonLine } from './parse-ndjson-line.js';
import {
  type JsonSchema,
  keysReadByParser,
  readerError,
  resolve,
  schema,
  schemaErrors,
} from './test-support/ndjson-schema.js';

const docsDir = new URL('../../../../docs/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'aoi-ndjson-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every line of every ```ndjson block of docs/*.md, with the block it is in. */
function docBlocks(): { doc: string; lines: string[] }[] {
  return readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .flatMap((doc) =>
      [...readFileSync(new URL(doc, docsDir), 'utf8').matchAll(/^```ndjson\n([\s\S]*?)^```/gm)].map((block) => ({
        doc,
        lines: block[1]!.split('\n').filter((line) => line.trim() !== ''),
      })),
    );
}

function readAll(lines: readonly string[]): number {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return [...new NdjsonReader(path).ticks()].length;
}

function encoded(trace: MemoryTrace): string[] {
  const lines: string[] = [];
  const writer = new NdjsonWriter(lines);
  writer.begin(trace.header);
  for (const record of trace.ticks()) writer.writeTick(record);
  return lines;
}

const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const ENTITY = { x: 0, y: 0, viewRadius: 10, leaveRadius: 12, watcher: true, marker: true, tags: ['player'] };
/** Lines with every field the format has, each valid on its own (a header, a first tick, a resync tick). */
const FULL = {
  header: {
    type: 'header',
    format: 'aoi-trace-ndjson',
    version: 1,
    source: 'schema-test 1.0',
    startTime: 1700000000000,
    regionSize: 64,
    quantum: 1 / 1024,
    epsilon: 0,
    tagNames: ['player', 'npc'],
    attributes: { map: 'forest-01' },
  },
  tick: {
    type: 'tick',
    tick: 1,
    time: 1700000000050,
    span: SPAN,
    eventBase: 0,
    messages: [{ name: 'move-request', span: SPAN, parent: SPAN, entity: 1 }],
    spawns: [
      { id: 1, ...ENTITY, cause: 0, respawn: false },
      { id: 2, ...ENTITY, x: 5 },
    ],
    updates: [{ id: 1, viewRadius: 5, leaveRadius: 6, watcher: true, marker: false, tags: ['npc'], cause: 0 }],
    moves: [{ id: 1, x: 1.5, y: -2, teleport: true, cause: 0 }],
    despawns: [2],
    events: [
      { kind: 'enter', watcher: 1, target: 2 },
      { kind: 'move', watcher: 1, target: 2 },
      { kind: 'exit', watcher: 1, target: 2 },
      { kind: 'leave', watcher: 2, target: 1 },
    ],
  },
  resync: {
    type: 'tick',
    tick: 9,
    time: 1700000000450,
    resync: {
      lostFrom: 3,
      reason: 'ticks lost',
      tick: 8,
      time: 1700000000400,
      entities: [
        { id: 1, ...ENTITY, spawnTick: 0 },
        { id: 2, ...ENTITY, x: 5, spawnTick: 4 },
      ],
      views: [{ watcher: 1, targets: [2] }],
    },
    moves: [{ id: 1, x: 1, y: 1 }],
  },
} as const;
type Base = keyof typeof FULL;

/** `base` with the value at `path` replaced (undefined: removed); `raw:` values are written as JSON text as is. */
function mutate(base: Base, path: readonly (string | number)[], value: unknown): string {
  const copy = JSON.parse(JSON.stringify(FULL[base])) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return JSON.stringify(copy).replace(/"raw:([^"]*)"/, '$1');
}

const BIG_RADIUS = 2 ** 512;
/** Lines wrong on their own (no header or earlier tick needed to see it): [base, path, value, reader's error path]. */
const INVALID: [Base, (string | number)[], unknown, string?][] = [
  ['header', ['type'], 'tock'],
  ['header', ['type'], undefined],
  ['header', ['format'], 'otel'],
  ['header', ['version'], 2],
  ['header', ['version'], '1'],
  ['header', ['source'], 5],
  ['header', ['startTime'], '0'],
  ['header', ['regionSize'], 0],
  ['header', ['quantum'], -1],
  ['header', ['epsilon'], -0.5],
  ['header', ['tagNames', 1], 3],
  ['header', ['attributes'], ['a']],
  ['header', ['attributes', 'map'], 1],
  ['tick', ['tick'], undefined],
  ['tick', ['tick'], -1],
  ['tick', ['tick'], 1.5],
  ['tick', ['tick'], '1'],
  ['tick', ['tick'], 2 ** 52],
  ['tick', ['time'], undefined],
  ['tick', ['time'], 'now'],
  ['tick', ['time'], 'raw:1e400'],
  ['tick', ['eventBase'], -1],
  ['tick', ['eventBase'], 0.5],
  ['tick', ['eventBase'], 2 ** 53],
  ['tick', ['span'], 'x'],
  ['tick', ['span', 'traceId'], SPAN.traceId.toUpperCase()],
  ['tick', ['span', 'traceId'], '0'.repeat(32)],
  ['tick', ['span', 'spanId'], 'abc'],
  ['tick', ['span', 'spanId'], undefined],
  ['tick', ['messages'], {}],
  ['tick', ['messages', 0], 'move-request'],
  ['tick', ['messages', 0, 'name'], undefined],
  ['tick', ['messages', 0, 'name'], 5],
  ['tick', ['messages', 0, 'span'], undefined],
  ['tick', ['messages', 0, 'parent', 'spanId'], '0'.repeat(16)],
  ['tick', ['messages', 0, 'entity'], -1],
  ['tick', ['spawns', 0, 'id'], undefined],
  ['tick', ['spawns', 0, 'id'], -1],
  ['tick', ['spawns', 0, 'id'], 2 ** 31],
  ['tick', ['spawns', 0, 'id'], 1.5],
  ['tick', ['spawns', 0, 'x'], undefined],
  ['tick', ['spawns', 0, 'y'], '0'],
  ['tick', ['spawns', 0, 'viewRadius'], -1],
  ['tick', ['spawns', 0, 'viewRadius'], BIG_RADIUS],
  ['tick', ['spawns', 0, 'leaveRadius'], BIG_RADIUS],
  ['tick', ['spawns', 0, 'watcher'], 'yes'],
  ['tick', ['spawns', 0, 'marker'], 1],
  ['tick', ['spawns', 0, 'tags'], 'player'],
  ['tick', ['spawns', 0, 'tags', 0], ''],
  ['tick', ['spawns', 0, 'tags', 0], 3],
  ['tick', ['spawns', 0, 'cause'], -2],
  ['tick', ['spawns', 0, 'respawn'], 'true'],
  ['tick', ['updates', 0, 'id'], undefined],
  ['tick', ['updates', 0, 'viewRadius'], -1],
  ['tick', ['updates', 0, 'leaveRadius'], BIG_RADIUS],
  ['tick', ['updates', 0, 'watcher'], null],
  ['tick', ['updates', 0, 'tags', 0], ''],
  ['tick', ['updates', 0, 'cause'], 0.5],
  ['tick', ['moves', 0, 'id'], undefined],
  ['tick', ['moves', 0, 'x'], undefined],
  ['tick', ['moves', 0, 'y'], '1'],
  ['tick', ['moves', 0, 'teleport'], 1],
  ['tick', ['moves', 0, 'cause'], '0'],
  ['tick', ['despawns'], 2],
  ['tick', ['despawns', 0], -1],
  ['tick', ['despawns', 1], 2, '$.despawns[1]'],
  ['tick', ['events', 0, 'kind'], 'blink'],
  ['tick', ['events', 0, 'kind'], undefined],
  ['tick', ['events', 0, 'watcher'], '1'],
  ['tick', ['events', 0, 'target'], 2 ** 31],
  ['resync', ['resync'], 'x'],
  ['resync', ['resync', 'tick'], undefined],
  ['resync', ['resync', 'time'], undefined],
  ['resync', ['resync', 'lostFrom'], undefined],
  ['resync', ['resync', 'lostFrom'], -1],
  ['resync', ['resync', 'reason'], 5],
  ['resync', ['resync', 'entities', 0, 'id'], undefined],
  ['resync', ['resync', 'entities', 1, 'viewRadius'], -1],
  ['resync', ['resync', 'entities', 0, 'spawnTick'], -1],
  ['resync', ['resync', 'views', 0, 'watcher'], undefined],
  ['resync', ['resync', 'views', 0, 'targets', 0], -1],
];

/** Right at the documented limits: both accept them (a schema stricter than the reader fails here). */
const AT_LIMITS: [Base, (string | number)[], unknown][] = [
  ['header', ['startTime'], -1.5],
  ['header', ['quantum'], 1e-9],
  ['header', ['attributes'], {}],
  ['tick', ['tick'], 2 ** 52 - 1],
  ['tick', ['time'], 0.25],
  ['tick', ['eventBase'], Number.MAX_SAFE_INTEGER - 4],
  ['tick', ['messages', 0, 'entity'], 2 ** 31 - 1],
  ['tick', ['spawns', 1, 'x'], -(2 ** 38)],
  ['tick', ['spawns', 1, 'viewRadius'], 0],
  ['tick', ['spawns', 1, 'leaveRadius'], 2 ** 511],
  ['tick', ['spawns', 1, 'tags'], ['bit31', 'npc']],
  ['tick', ['spawns', 1, 'cause'], -1],
  ['tick', ['messages', 0, 'name'], 'émoji 🚀'],
  ['tick', ['despawns'], []],
  ['resync', ['resync', 'lostFrom'], null],
  ['resync', ['resync', 'views'], []],
];

/** Wrong, and refused by the reader, but beyond JSON Schema: they compare two fields or need the header. */
const BEYOND_SCHEMA: [Base, (string | number)[], unknown, string][] = [
  ['tick', ['spawns', 0, 'leaveRadius'], 9, '$.spawns[0].leaveRadius'],
  ['tick', ['spawns', 0, 'cause'], 1, '$.spawns[0].cause'],
  ['tick', ['moves', 1], { id: 1, x: 0, y: 0 }, '$.moves[1].id'],
  ['tick', ['spawns', 0, 'x'], 2 ** 40, '$.spawns[0].x'],
  ['tick', ['spawns', 0, 'tags', 0], '\ud800', '$.spawns[0].tags[0]'],
  ['resync', ['resync', 'lostFrom'], 9, '$.resync.lostFrom'],
];

const pathOf = (path: readonly (string | number)[]) =>
  `$${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}`;

describe('the JSON Schema of aoi-trace NDJSON (aoi-trace-ndjson.schema.json)', () => {
  it('accepts every ndjson line of the docs, and so does the real reader', () => {
    const blocks = docBlocks();
    const lines = blocks.flatMap((block) => block.lines.map((line) => ({ doc: block.doc, line })));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const { doc, line } of lines) {
      expect({ doc, line, errors: schemaErrors(line) }).toEqual({ doc, line, errors: undefined });
      expect(() => parseNdjsonLine(line, 1), `${doc}: ${line}`).not.toThrow();
    }
    // A block that starts with a header is a whole trace: read it with every rule, state included.
    const traces = blocks.filter((block) => block.lines[0]!.includes('"type":"header"') && block.lines.length > 1);
    expect(traces.length).toBeGreaterThanOrEqual(2);
    for (const trace of traces) expect(readAll(trace.lines)).toBe(trace.lines.length - 1);
    // The resync example is a field, not a line: put it in a tick line.
    const docText = readFileSync(new URL('aoi-trace-ndjson.md', docsDir), 'utf8');
    const resync = /^```json\n("resync": [\s\S]*?)^```/m.exec(docText)![1]!;
    const line = JSON.stringify({ type: 'tick', tick: 256, time: 1735689625550, ...JSON.parse(`{${resync}}`) });
    expect(schemaErrors(line)).toBeUndefined();
    expect(parseNdjsonLine(line, 1).type).toBe('tick');
  });

  it('accepts every line the real encoder writes for simulated and recorded traces', () => {
    const traces = SCENARIO_NAMES.map((scenario) => {
      const trace = new MemoryTrace();
      const inject = { tornView: { rate: 0.1 }, delayedBroadcast: { rate: 0.1 }, race: { rate: 0.1 } };
      simulate({ scenario, entities: 60, ticks: 12, inject: { ...inject, oscillation: { rate: 0.2 } } }, trace);
      return trace;
    });
    traces.push(recordRun({ ticks: 40, entities: 20 }), respawnRun());
    const lines = [...traces.flatMap(encoded), ...withResync(traces[0]!)];
    const text = lines.join('\n');
    for (const field of ['"messages":[{', '"parent"', '"teleport"', '"updates":[{', '"respawn"', '"resync"']) {
      expect(text).toContain(field);
    }
    for (const line of lines) expect({ line, errors: schemaErrors(line) }).toEqual({ line, errors: undefined });
  });

  it.each(INVALID)('refuses %s with %j = %j, as the reader does', (base, path, value, readerPath) => {
    const line = mutate(base, path, value);
    const expected = readerPath ?? pathOf(path);
    const error = readerError(line);
    expect(error?.code, line).toMatch(/^AOITRACE_(INVALID_RECORD|BAD_FORMAT)$/);
    expect(error?.details.path).toBe(expected);
    // The schema's error is at the same field (or, for a rule over a whole array, at the array).
    const errors = schemaErrors(line) ?? [];
    expect(
      errors.some((at) => at === expected || (at !== '$' && expected.startsWith(`${at}[`))),
      `${line}\nschema errors at: ${errors.join(', ')}`,
    ).toBe(true);
  });

  it.each(AT_LIMITS)('accepts %s with %j = %j, as the reader does', (base, path, value) => {
    const line = mutate(base, path, value);
    expect(readerError(line)).toBeUndefined();
    expect(schemaErrors(line)).toBeUndefined();
  });

  it.each(BEYOND_SCHEMA)(
    'passes %s with %j = %j: the reader refuses it (documented in the schema)',
    (base, path, value, readerPath) => {
      const line = mutate(base, path, value);
      expect(schemaErrors(line)).toBeUndefined();
      const error = readerError(line);
      expect(error?.code).toBe(TraceErrorCode.InvalidRecord);
      expect(error?.details.path).toBe(readerPath);
    },
  );

  it('takes its ranges from TRACE_LIMITS, so a changed limit cannot leave the schema behind', () => {
    const defs = schema.$defs as Record<string, JsonSchema>;
    expect([defs.id!.maximum, defs.tickNumber!.maximum, defs.radius!.maximum]).toEqual([
      TRACE_LIMITS.maxId,
      TRACE_LIMITS.maxTick,
      TRACE_LIMITS.maxRadius,
    ]);
  });

  it('names exactly the fields the parser reads, object by object', () => {
    const reached = new Set<string>();
    for (const [base, root] of [
      ['header', 'header'],
      ['tick', 'tick'],
      ['resync', 'tick'],
    ] as const) {
      const line = JSON.stringify(FULL[base]);
      // Valid for both, so each INVALID case is wrong only by its one change.
      expect([readerError(line), schemaErrors(line)]).toEqual([undefined, undefined]);
      for (const [path, keys] of keysReadByParser(line)) {
        const node = schemaNode(root, path, reached);
        const properties = node.properties as Record<string, JsonSchema> | undefined;
        if (properties === undefined) {
          // A free-form map (attributes): any key, the value type is the schema's additionalProperties.
          expect(node.additionalProperties, path).toEqual({ type: 'string' });
          continue;
        }
        expect({ path, keys: [...keys].sort() }).toEqual({ path, keys: Object.keys(properties).sort() });
      }
    }
    const objectDefs = Object.entries(schema.$defs as Record<string, JsonSchema>).filter(
      ([, d]) => d.type === 'object',
    );
    expect([...reached].sort()).toEqual(objectDefs.map(([name]) => name).sort());
  });
});

/** The schema of the object at `path` (`$.spawns[].x`) in a line of definition `root`. */
function schemaNode(root: string, path: string, reached: Set<string>): JsonSchema {
  let node = (schema.$defs as Record<string, JsonSchema>)[root]!;
  reached.add(root);
  for (const [, key, items] of path.matchAll(/\.(\w+)|(\[\])/g)) {
    node = items === undefined ? (node.properties as Record<string, JsonSchema>)[key!]! : (node.items as JsonSchema);
    expect(node, `${path}: ${key ?? '[]'} is not in the schema`).toBeDefined();
    const resolved = resolve(node);
    if (resolved.def !== undefined && resolved.node.type === 'object') reached.add(resolved.def);
    node = resolved.node;
  }
  return node;
}

/** Remove then add of one id in one batched tick, which the recorder writes as a spawn with "respawn": true. */
function respawnRun(): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let now = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { now: () => (now += 50) });
  world.add(1, { x: 0, y: 0, viewRadius: 10 });
  world.add(2, { x: 5, y: 0, viewRadius: 10 });
  recorder.tick();
  world.remove(2);
  world.add(2, { x: 6, y: 0, viewRadius: 20 });
  recorder.tick();
  recorder.close();
  return trace;
}

/**
 * `trace` as an export of a damaged file writes it: ticks 0..4, then tick 8 following the world after tick 7
 * (ticks 5..7 lost). Checked by the reader too, so the resync line is one it accepts.
 */
function withResync(trace: MemoryTrace): string[] {
  const records = [...trace.ticks()];
  const state = new WorldState();
  for (const record of records.slice(0, 8)) state.apply(record);
  const lines = encoded(new MemoryTrace(trace.header, records.slice(0, 5)));
  lines.push(ndjsonTickLine({ ...records[8]!, resync: { state, lostFrom: 5, reason: 'test' } }));
  expect(readAll(lines)).toBe(6);
  return lines;
}
