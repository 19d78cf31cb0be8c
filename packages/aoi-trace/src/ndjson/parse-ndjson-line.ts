import { TraceError, TraceErrorCode } from '../errors.js';
import { emptyEvents, emptyMoves } from '../model/columns.js';
import type {
  CauseMessage,
  EntitySpawn,
  EntityUpdate,
  EventColumns,
  MoveColumns,
  SpanContext,
  TickRecord,
  TraceHeader,
} from '../model/types.js';
import { parseHeightFields } from './height-json.js';
import { JsonFields, type JsonObject, ndjsonError } from './json-fields.js';
import { NDJSON_FORMAT, NDJSON_HEADER_DEFAULTS, NDJSON_VERSION, type NdjsonLine } from './ndjson-format.js';
import { parseResync } from './resync-json.js';

export interface ParseLineOptions {
  /** The eventBase of a tick line that leaves it out: the number of events before it. @default 0 */
  readonly eventBase?: number;
}

const MAX_ID = 0x7fffffff;
const KINDS: Readonly<Record<string, number>> = { enter: 0, exit: 1, leave: 1, move: 2 };

/**
 * Parses one line of the aoi-trace NDJSON format (docs/aoi-trace-ndjson.md). Checks types and shapes only; whether
 * a tick can follow the trace so far is {@link validateTick}'s job. Throws TraceError INVALID_RECORD (BAD_FORMAT for
 * another format or version) with `line` and `path`.
 */
export function parseNdjsonLine(line: string, lineNumber: number, options: ParseLineOptions = {}): NdjsonLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw ndjsonError(lineNumber, '$', `not valid JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ndjsonError(lineNumber, '$', 'each line must be one JSON object.');
  }
  const object = value as JsonObject;
  if (object.type === 'header')
    return { type: 'header', header: parseHeader(new JsonFields(object, '$', lineNumber), lineNumber) };
  if (object.type === 'tick') {
    const tick = typeof object.tick === 'number' ? object.tick : undefined;
    const fields = new JsonFields(object, '$', lineNumber, tick);
    return { type: 'tick', record: parseTick(fields, options.eventBase ?? 0) };
  }
  throw ndjsonError(
    lineNumber,
    '$.type',
    `must be "header" or "tick", got ${JSON.stringify(object.type) ?? 'nothing'}.`,
  );
}

function parseHeader(fields: JsonFields, lineNumber: number): TraceHeader {
  const format = fields.string('format', NDJSON_FORMAT);
  const version = fields.number('version', NDJSON_VERSION);
  if (format !== NDJSON_FORMAT || version !== NDJSON_VERSION) {
    const path = format !== NDJSON_FORMAT ? '$.format' : '$.version';
    throw new TraceError(
      TraceErrorCode.BadFormat,
      `line ${lineNumber}: ${path}: got ${format} version ${version} data when expected ${NDJSON_FORMAT} version ${NDJSON_VERSION}.`,
      { line: lineNumber, path },
    );
  }
  const d = NDJSON_HEADER_DEFAULTS;
  const regionSize = fields.number('regionSize', d.regionSize);
  if (!(regionSize > 0 && Number.isFinite(regionSize))) fields.fail('regionSize', 'must be a finite number > 0.');
  const quantum = fields.number('quantum', d.quantum);
  if (!(quantum > 0 && Number.isFinite(quantum))) fields.fail('quantum', 'must be a finite number > 0.');
  const epsilon = fields.number('epsilon', d.epsilon);
  if (!(epsilon >= 0 && Number.isFinite(epsilon))) fields.fail('epsilon', 'must be a finite number >= 0.');
  const startTime = fields.number('startTime', d.startTime);
  if (!Number.isFinite(startTime)) fields.fail('startTime', 'must be a finite number (ms since the Unix epoch).');
  const attributes: Record<string, string> = {};
  if (fields.has('attributes')) {
    const map = fields.child(fields.object.attributes, 'attributes');
    for (const key of Object.keys(map.object)) {
      map.text(key, key);
      attributes[key] = map.string(key);
    }
  }
  return {
    source: fields.string('source', d.source),
    startTime,
    regionSize,
    quantum,
    epsilon,
    tagNames: fields.strings('tagNames'),
    attributes,
  };
}

function parseTick(fields: JsonFields, runningEventBase: number): TickRecord {
  const tick = fields.integer('tick', 0, Number.MAX_SAFE_INTEGER);
  const time = fields.number('time');
  const span = fields.has('span') ? parseSpan(fields.child(fields.object.span, 'span')) : undefined;
  const eventBase = fields.integer('eventBase', 0, Number.MAX_SAFE_INTEGER, runningEventBase);
  const messages = fields.array('messages').map((item, i) => parseMessage(fields.child(item, `messages[${i}]`)));
  const spawns = fields.array('spawns').map((item, i) => parseSpawn(fields.child(item, `spawns[${i}]`)));
  const updates = fields.array('updates').map((item, i) => parseUpdate(fields.child(item, `updates[${i}]`)));
  const despawns = fields.array('despawns').map((item, i) => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item > MAX_ID) {
      fields.fail(`despawns[${i}]`, `must be an entity id (integer 0..${MAX_ID}).`);
    }
    return item;
  });
  return {
    tick,
    time,
    ...(span === undefined ? {} : { span }),
    eventBase,
    messages,
    spawns,
    updates,
    moves: parseMoves(fields),
    despawns,
    events: parseEvents(fields),
    ...(fields.has('resync') ? { resync: parseResync(fields.child(fields.object.resync, 'resync')) } : {}),
  };
}

function parseSpan(fields: JsonFields): SpanContext {
  return { traceId: fields.string('traceId'), spanId: fields.string('spanId') };
}

function parseMessage(fields: JsonFields): CauseMessage {
  const message: CauseMessage = {
    name: fields.string('name'),
    span: parseSpan(fields.child(fields.object.span, 'span')),
  };
  const parent = fields.has('parent') ? parseSpan(fields.child(fields.object.parent, 'parent')) : undefined;
  const entity = fields.has('entity') ? fields.integer('entity', 0, MAX_ID) : undefined;
  return {
    ...message,
    ...(parent === undefined ? {} : { parent }),
    ...(entity === undefined ? {} : { entity }),
  };
}

function parseSpawn(fields: JsonFields): EntitySpawn {
  const viewRadius = fields.number('viewRadius', 0);
  const respawn = fields.boolean('respawn', false);
  return {
    id: fields.integer('id', 0, MAX_ID),
    x: fields.number('x'),
    y: fields.number('y'),
    viewRadius,
    leaveRadius: fields.number('leaveRadius', viewRadius),
    watcher: fields.boolean('watcher', true),
    marker: fields.boolean('marker', true),
    tags: fields.strings('tags'),
    cause: fields.integer('cause', -1, MAX_ID, -1),
    ...(respawn ? { respawn } : {}),
    ...parseHeightFields(fields),
  };
}

function parseUpdate(fields: JsonFields): EntityUpdate {
  const update: { -readonly [K in keyof EntityUpdate]: EntityUpdate[K] } = {
    id: fields.integer('id', 0, MAX_ID),
    cause: fields.integer('cause', -1, MAX_ID, -1),
  };
  if (fields.has('viewRadius')) update.viewRadius = fields.number('viewRadius');
  if (fields.has('leaveRadius')) update.leaveRadius = fields.number('leaveRadius');
  if (fields.has('watcher')) update.watcher = fields.boolean('watcher');
  if (fields.has('marker')) update.marker = fields.boolean('marker');
  if (fields.has('tags')) update.tags = fields.strings('tags');
  return { ...update, ...parseHeightFields(fields) };
}

function parseMoves(fields: JsonFields): MoveColumns {
  const items = fields.array('moves');
  const moves = emptyMoves(items.length);
  items.forEach((item, i) => {
    const move = fields.child(item, `moves[${i}]`);
    moves.ids[i] = move.integer('id', 0, MAX_ID);
    moves.xs[i] = move.number('x');
    moves.ys[i] = move.number('y');
    moves.teleports[i] = move.boolean('teleport', false) ? 1 : 0;
    moves.causes[i] = move.integer('cause', -1, MAX_ID, -1);
  });
  moves.count = items.length;
  return moves;
}

function parseEvents(fields: JsonFields): EventColumns {
  const items = fields.array('events');
  const events = emptyEvents(items.length);
  items.forEach((item, i) => {
    const event = fields.child(item, `events[${i}]`);
    const kind = KINDS[event.string('kind')];
    if (kind === undefined) {
      event.fail('kind', 'must be "enter", "exit" (or "leave") or "move".');
      return;
    }
    events.kinds[i] = kind;
    events.watchers[i] = event.integer('watcher', 0, MAX_ID);
    events.targets[i] = event.integer('target', 0, MAX_ID);
  });
  events.count = items.length;
  return events;
}
