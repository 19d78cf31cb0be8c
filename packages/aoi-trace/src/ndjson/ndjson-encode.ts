import { EVENT_KIND_NAMES, type TickRecord, type TraceHeader } from '../model/types.js';
import { NDJSON_FORMAT, NDJSON_VERSION } from './ndjson-format.js';
import { resyncJson } from './resync-json.js';

/** The header line of an aoi-trace NDJSON stream, without the newline. */
export function ndjsonHeaderLine(header: TraceHeader): string {
  return JSON.stringify({
    type: 'header',
    format: NDJSON_FORMAT,
    version: NDJSON_VERSION,
    source: header.source,
    startTime: header.startTime,
    regionSize: header.regionSize,
    quantum: header.quantum,
    epsilon: header.epsilon,
    tagNames: header.tagNames,
    attributes: header.attributes,
  });
}

/**
 * One tick as an NDJSON line, without the newline. Every field is written except the per-item defaults
 * (`teleport: false`, `cause: -1`, `respawn: false`), which keep the moves, the bulk of a trace, short.
 */
export function ndjsonTickLine(record: TickRecord): string {
  const { moves, events } = record;
  const moveItems = new Array<object>(moves.count);
  for (let i = 0; i < moves.count; i++) {
    const cause = moves.causes[i]!;
    moveItems[i] = {
      id: moves.ids[i],
      x: moves.xs[i],
      y: moves.ys[i],
      ...(moves.teleports[i] === 1 ? { teleport: true } : {}),
      ...(cause >= 0 ? { cause } : {}),
    };
  }
  const eventItems = new Array<object>(events.count);
  for (let i = 0; i < events.count; i++) {
    eventItems[i] = {
      kind: EVENT_KIND_NAMES[events.kinds[i]!],
      watcher: events.watchers[i],
      target: events.targets[i],
    };
  }
  return JSON.stringify({
    type: 'tick',
    tick: record.tick,
    time: record.time,
    ...(record.span === undefined ? {} : { span: record.span }),
    eventBase: record.eventBase,
    messages: record.messages,
    spawns: record.spawns.map(({ cause, respawn, ...spawn }) => ({
      ...spawn,
      ...(cause >= 0 ? { cause } : {}),
      ...(respawn === true ? { respawn } : {}),
    })),
    updates: record.updates.map(({ cause, ...update }) => (cause >= 0 ? { ...update, cause } : update)),
    moves: moveItems,
    despawns: record.despawns,
    events: eventItems,
    ...(record.resync === undefined ? {} : { resync: resyncJson(record.resync) }),
  });
}
