// Chrome trace event format (the JSON object form), which Perfetto UI and chrome://tracing load: one complete
// event per tick on a "ticks" track, counters of entities and visibility events, instants for messages.

import { countEventKinds, type EventKindCounts } from '../model/event-kind-name.js';
import type { TickRecord, TraceInput } from '../model/types.js';
import type { TextSink } from './text-sink.js';

export interface ChromeTraceSummary {
  readonly ticks: number;
  /** Trace events written, metadata included. */
  readonly events: number;
}

const PID = 1;
const TICK_TID = 1;
const MESSAGE_TID = 2;

/** What a tick's complete event needs once the next tick's time is known (the record itself may be reused). */
interface PendingTick {
  readonly tick: number;
  readonly ts: number;
  readonly args: Record<string, unknown>;
}

/**
 * Writes `input` as a Chrome trace to `out`, one tick at a time (memory does not grow with the trace). Times are
 * microseconds since the first tick; a tick lasts until the next one (the last one as long as the one before it).
 */
export function exportChromeTrace(input: TraceInput, out: TextSink): ChromeTraceSummary {
  const header = input.header;
  let origin: number | undefined;
  let written = 0;
  let ticks = 0;
  let entities = 0;
  let pending: PendingTick | undefined;
  let lastDuration = 0;

  const emit = (events: readonly object[]) => {
    for (const event of events) out.write(`${written++ === 0 ? '\n' : ',\n'}${JSON.stringify(event)}`);
  };
  const closeTick = (tick: PendingTick, end: number) => {
    lastDuration = Math.max(0, end - tick.ts);
    emit([
      {
        name: `tick ${tick.tick}`,
        cat: 'tick',
        ph: 'X',
        ts: tick.ts,
        dur: lastDuration,
        pid: PID,
        tid: TICK_TID,
        args: tick.args,
      },
    ]);
  };

  out.write('{"displayTimeUnit":"ms","otherData":');
  out.write(JSON.stringify({ source: header.source, startTime: header.startTime, attributes: header.attributes }));
  out.write(',"traceEvents":[');
  emit([
    { name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: `aoi-trace: ${header.source}` } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: TICK_TID, args: { name: 'ticks' } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: MESSAGE_TID, args: { name: 'messages' } },
  ]);
  for (const record of input.ticks()) {
    origin ??= record.time;
    const ts = (record.time - origin) * 1000;
    if (pending !== undefined) closeTick(pending, ts);
    const { resync } = record;
    // After lost ticks the count restarts from the world reading resumed at, and the gap is marked.
    if (resync !== undefined) entities = resync.state.entities.size;
    // A respawn replaces a live entity: the count does not change.
    entities += record.spawns.filter((s) => s.respawn !== true).length - record.despawns.length;
    const counts = countEventKinds(record.events);
    if (resync !== undefined) {
      const args = { lostFrom: resync.lostFrom, lostTo: resync.state.tick, reason: resync.reason };
      emit([{ name: 'ticks lost', cat: 'gap', ph: 'i', s: 'g', ts, pid: PID, tid: TICK_TID, args }]);
    }
    emit([
      { name: 'entities', ph: 'C', ts, pid: PID, args: { entities } },
      { name: 'visibility events', ph: 'C', ts, pid: PID, args: counts },
      ...record.messages.map((message) => ({
        name: message.name,
        cat: 'message',
        ph: 'i',
        s: 't',
        ts,
        pid: PID,
        tid: MESSAGE_TID,
        args: {
          tick: record.tick,
          ...(message.entity === undefined ? {} : { entity: message.entity }),
          traceId: message.span.traceId,
          spanId: message.span.spanId,
          ...(message.parent === undefined ? {} : { parentSpanId: message.parent.spanId }),
        },
      })),
    ]);
    pending = { tick: record.tick, ts, args: tickArgs(record, counts, entities) };
    ticks++;
  }
  if (pending !== undefined) closeTick(pending, pending.ts + lastDuration);
  out.write('\n]}\n');
  return { ticks, events: written };
}

function tickArgs(record: TickRecord, counts: EventKindCounts, entities: number): Record<string, unknown> {
  return {
    tick: record.tick,
    time: record.time,
    entities,
    spawns: record.spawns.length,
    updates: record.updates.length,
    moves: record.moves.count,
    despawns: record.despawns.length,
    events: record.events.count,
    enters: counts.enters,
    exits: counts.exits,
    moveEvents: counts.moves,
    messages: record.messages.length,
    ...(record.span === undefined ? {} : { traceId: record.span.traceId, spanId: record.span.spanId }),
  };
}
