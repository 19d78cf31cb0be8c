// OTLP/JSON (an ExportTraceServiceRequest, as POSTed to a collector's /v1/traces): ticks as spans with their
// recorded ids, messages as child spans, visibility events as span events.

import { newSpanId, newTraceId } from '@lanes/trace-context';
import { countEventKinds } from '../model/event-kind-name.js';
import { EVENT_KIND_NAMES, type SpanContext, type TickRecord, type TraceInput } from '../model/types.js';
import type { TextSink } from './text-sink.js';

export interface OtlpExportOptions {
  /** Span events per tick span; the rest are counted in `droppedEventsCount`. @default 128 (the OTel SDK limit) */
  readonly maxEventsPerSpan?: number;
  /** `service.name` of the resource. @default the header's source */
  readonly serviceName?: string;
}

export interface OtlpExportSummary {
  readonly spans: number;
  readonly droppedEvents: number;
}

/** OTLP JSON AnyValue key/value; int64 values are decimal strings, as the protobuf JSON mapping writes them. */
type KeyValue = { key: string; value: { stringValue: string } | { intValue: string } | { boolValue: boolean } };

/** OTLP SpanKind: INTERNAL for the engine's tick, CONSUMER for handling a received message. */
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CONSUMER = 5;
const SCOPE = { name: '@lanes/aoi-trace', version: '0.1.0' };

/**
 * Writes `input` to `out` as one OTLP/JSON ExportTraceServiceRequest, streamed span by span. A tick span lasts
 * until the next tick (the last one as long as the one before it). A message span is a child of its tick span and
 * links to the sender's span; when the message continues the sender's trace (another trace id than the tick's),
 * its parent is the sender instead (a parent must be in the same trace) and the link points to the tick.
 * Ticks recorded without a span get generated ids in one new trace.
 */
export function exportOtlp(input: TraceInput, out: TextSink, options: OtlpExportOptions = {}): OtlpExportSummary {
  const header = input.header;
  const maxEvents = options.maxEventsPerSpan ?? 128;
  const fallbackTraceId = newTraceId();
  let spans = 0;
  let droppedEvents = 0;
  let lastDuration = 0;
  let pending: { start: number; spans: Record<string, unknown>[] } | undefined;

  const resource = [
    stringValue('service.name', options.serviceName ?? header.source),
    stringValue('aoi.source', header.source),
    ...Object.entries(header.attributes).map(([key, value]) => stringValue(`aoi.attribute.${key}`, value)),
  ];
  out.write(`{"resourceSpans":[{"resource":${JSON.stringify({ attributes: resource })},"scopeSpans":[{"scope":`);
  out.write(`${JSON.stringify(SCOPE)},"spans":[`);
  const flush = (end: number) => {
    if (pending === undefined) return;
    lastDuration = Math.max(0, end - pending.start);
    for (const span of pending.spans) {
      span.endTimeUnixNano = nanos(pending.start + lastDuration);
      out.write(`${spans++ === 0 ? '\n' : ',\n'}${JSON.stringify(span)}`);
    }
  };

  for (const record of input.ticks()) {
    flush(record.time);
    const tickSpan = record.span ?? { traceId: fallbackTraceId, spanId: newSpanId() };
    const tick = tickSpanOf(record, tickSpan, maxEvents);
    droppedEvents += tick.droppedEventsCount as number;
    pending = {
      start: record.time,
      spans: [tick, ...record.messages.map((_, i) => messageSpanOf(record, i, tickSpan))],
    };
  }
  if (pending !== undefined) flush(pending.start + lastDuration);
  out.write('\n]}]}]}\n');
  return { spans, droppedEvents };
}

function tickSpanOf(record: TickRecord, span: SpanContext, maxEvents: number): Record<string, unknown> {
  const { events } = record;
  const time = nanos(record.time);
  const kept = Math.min(events.count, maxEvents);
  const spanEvents = new Array<object>(kept);
  const kinds = countEventKinds(events);
  for (let i = 0; i < kept; i++) {
    spanEvents[i] = {
      timeUnixNano: time,
      name: EVENT_KIND_NAMES[events.kinds[i]!],
      attributes: [
        intValue('aoi.event.id', record.eventBase + i),
        intValue('aoi.watcher', events.watchers[i]!),
        intValue('aoi.target', events.targets[i]!),
      ],
    };
  }
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    name: `tick ${record.tick}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: time,
    endTimeUnixNano: time,
    attributes: [
      intValue('aoi.tick', record.tick),
      intValue('aoi.spawns', record.spawns.length),
      intValue('aoi.updates', record.updates.length),
      intValue('aoi.moves', record.moves.count),
      intValue('aoi.despawns', record.despawns.length),
      intValue('aoi.events', events.count),
      intValue('aoi.enters', kinds.enters),
      intValue('aoi.exits', kinds.exits),
    ],
    events: spanEvents,
    droppedEventsCount: events.count - kept,
  };
}

function messageSpanOf(record: TickRecord, index: number, tick: SpanContext): Record<string, unknown> {
  const message = record.messages[index]!;
  const sameTrace = message.span.traceId === tick.traceId;
  const sender = message.parent;
  const parentSpanId = sameTrace ? tick.spanId : sender?.traceId === message.span.traceId ? sender.spanId : undefined;
  const links: object[] = [];
  if (sameTrace && sender !== undefined) links.push({ ...sender, attributes: [stringValue('aoi.link', 'sender')] });
  if (!sameTrace) links.push({ ...tick, attributes: [stringValue('aoi.link', 'tick')] });
  return {
    traceId: message.span.traceId,
    spanId: message.span.spanId,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    name: message.name,
    kind: SPAN_KIND_CONSUMER,
    startTimeUnixNano: nanos(record.time),
    endTimeUnixNano: nanos(record.time),
    attributes: [
      intValue('aoi.tick', record.tick),
      ...(message.entity === undefined ? [] : [intValue('aoi.entity', message.entity)]),
      intValue('aoi.caused.spawns', record.spawns.filter((s) => s.cause === index).length),
      intValue('aoi.caused.updates', record.updates.filter((u) => u.cause === index).length),
      intValue('aoi.caused.moves', countCausedMoves(record, index)),
    ],
    links,
  };
}

function countCausedMoves(record: TickRecord, index: number): number {
  let count = 0;
  for (let i = 0; i < record.moves.count; i++) if (record.moves.causes[i] === index) count++;
  return count;
}

/** ms since the epoch as the uint64 nanoseconds string OTLP wants (beyond 2^53, so through BigInt; µs precision). */
function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

function stringValue(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

function intValue(key: string, value: number): KeyValue {
  return { key, value: { intValue: String(value) } };
}
