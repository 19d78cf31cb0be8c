import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { recordWorld } from '../record/recorder.js';
import { exportChromeTrace } from './chrome-trace.js';
import { exportOtlp } from './otlp.js';
import { StringTextSink } from './text-sink.js';

const SENDER = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const TRACE_ID = '11111111111111111111111111111111';

/** Ticks 50 ms apart; tick 2 handles a local message (same trace) and one continuing a sender's trace. */
function recordedTrace(): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let now = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { now: () => now, traceId: TRACE_ID });
  for (let id = 0; id < 10; id++) world.add(id, { x: id, y: 0, viewRadius: 3 });
  recorder.tick({ time: now });
  now += 50;
  world.move(0, 100, 0);
  recorder.tick({ time: now });
  now += 50;
  recorder.beginMessage('local-ai-step', { entity: 1 });
  world.move(1, 50, 0);
  recorder.endMessage();
  recorder.beginMessage('move-request', { entity: 2, traceparent: `00-${SENDER.traceId}-${SENDER.spanId}-01` });
  world.move(2, 60, 0);
  world.move(3, 61, 0);
  recorder.endMessage();
  world.remove(9);
  recorder.tick({ time: now });
  recorder.close();
  return trace;
}

interface ChromeEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  args: Record<string, number | string>;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events?: { timeUnixNano: string; name: string; attributes: KeyValue[] }[];
  droppedEventsCount?: number;
  links?: { traceId: string; spanId: string; attributes: KeyValue[] }[];
}

interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

const spansOf = (text: string) => (JSON.parse(text) as OtlpRequest).resourceSpans[0]!.scopeSpans[0]!.spans;

describe('exportChromeTrace', () => {
  it('writes a loadable trace: a complete event per tick lasting until the next, counters and message instants', () => {
    const trace = recordedTrace();
    const out = new StringTextSink();
    const summary = exportChromeTrace(trace, out);
    const json = JSON.parse(out.toString()) as { traceEvents: ChromeEvent[]; otherData: object };
    const events = json.traceEvents;
    expect(summary).toEqual({ ticks: 3, events: events.length });

    const ticks = events.filter((e) => e.ph === 'X').sort((a, b) => a.ts - b.ts);
    expect(ticks.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['tick 0', 0, 50_000],
      ['tick 1', 50_000, 50_000],
      ['tick 2', 100_000, 50_000],
    ]);
    expect(ticks[0]!.args).toMatchObject({ spawns: 10, entities: 10, spanId: trace.records[0]!.span!.spanId });
    expect(ticks[2]!.args).toMatchObject({ moves: 3, despawns: 1, entities: 9, messages: 2 });

    const entityCounter = events.filter((e) => e.ph === 'C' && e.name === 'entities').map((e) => e.args.entities);
    expect(entityCounter).toEqual([10, 10, 9]);
    const visibility = events.filter((e) => e.ph === 'C' && e.name === 'visibility events');
    const records = trace.records;
    visibility.forEach((counter, i) => {
      const { kinds, count } = records[i]!.events;
      const enters = [...kinds.subarray(0, count)].filter((k) => k === 0).length;
      expect(counter.args.enters).toBe(enters);
      expect(Number(counter.args.enters) + Number(counter.args.exits) + Number(counter.args.moves)).toBe(count);
    });
    expect(visibility[0]!.args.enters).toBeGreaterThan(0);

    const instants = events.filter((e) => e.ph === 'i');
    expect(instants.map((e) => [e.name, e.ts, e.args.entity])).toEqual([
      ['local-ai-step', 100_000, 1],
      ['move-request', 100_000, 2],
    ]);
    expect(instants[1]!.args.parentSpanId).toBe(SENDER.spanId);
    expect(events.filter((e) => e.ph === 'M').map((e) => e.name)).toContain('process_name');
  });

  it('writes an empty trace as valid JSON', () => {
    const out = new StringTextSink();
    exportChromeTrace(new MemoryTrace(recordedTrace().header), out);
    expect((JSON.parse(out.toString()) as { traceEvents: unknown[] }).traceEvents).toHaveLength(3);
  });
});

describe('exportOtlp', () => {
  it('writes an ExportTraceServiceRequest: tick spans with their ids, message spans with parents and links', () => {
    const trace = recordedTrace();
    const out = new StringTextSink();
    const summary = exportOtlp(trace, out, { maxEventsPerSpan: 4 });
    const request = JSON.parse(out.toString()) as OtlpRequest;
    const [resourceSpans] = request.resourceSpans;
    expect(resourceSpans!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: '@lanes/aoi grid' },
    });
    const [scopeSpans] = resourceSpans!.scopeSpans;
    expect(scopeSpans!.scope.name).toBe('@lanes/aoi-trace');
    const spans = scopeSpans!.spans;
    expect(spans).toHaveLength(5);
    expect(summary.spans).toBe(5);

    const ticks = spans.filter((s) => s.name.startsWith('tick '));
    expect(ticks.map((s) => s.spanId)).toEqual(trace.records.map((r) => r.span!.spanId));
    expect(ticks.every((s) => s.traceId === TRACE_ID && s.parentSpanId === undefined && s.kind === 1)).toBe(true);
    const startNs = BigInt(ticks[1]!.startTimeUnixNano);
    expect(startNs).toBe(BigInt(trace.records[1]!.time) * 1_000_000n);
    expect(BigInt(ticks[1]!.endTimeUnixNano) - startNs).toBe(50_000_000n);
    expect(typeof ticks[0]!.startTimeUnixNano).toBe('string');

    // Visibility events become span events, capped, with the rest counted as dropped.
    const first = trace.records[0]!;
    expect(first.events.count).toBeGreaterThan(4);
    expect(ticks[0]!.events).toHaveLength(4);
    expect(ticks[0]!.droppedEventsCount).toBe(first.events.count - 4);
    expect(summary.droppedEvents).toBeGreaterThanOrEqual(first.events.count - 4);
    // The span's counts cover every event of the tick, the dropped ones too.
    const kindsOfFirst = [...first.events.kinds.subarray(0, first.events.count)];
    for (const [key, kind] of [
      ['aoi.enters', 0],
      ['aoi.exits', 1],
    ] as const) {
      const expected = kindsOfFirst.filter((k) => k === kind).length;
      expect(ticks[0]!.attributes).toContainEqual({ key, value: { intValue: String(expected) } });
    }
    expect(kindsOfFirst.filter((k) => k === 0).length).toBeGreaterThan(4);
    expect(ticks[0]!.events?.[1]).toEqual({
      timeUnixNano: ticks[0]!.startTimeUnixNano,
      name: 'enter',
      attributes: [
        { key: 'aoi.event.id', value: { intValue: '1' } },
        { key: 'aoi.watcher', value: { intValue: String(first.events.watchers[1]) } },
        { key: 'aoi.target', value: { intValue: String(first.events.targets[1]) } },
      ],
    });

    const [local, remote] = trace.records[2]!.messages;
    const localSpan = spans.find((s) => s.spanId === local!.span.spanId)!;
    expect(localSpan).toMatchObject({ traceId: TRACE_ID, parentSpanId: ticks[2]!.spanId, kind: 5, links: [] });
    expect(localSpan.attributes).toContainEqual({ key: 'aoi.caused.moves', value: { intValue: '1' } });
    // The remote message continues its sender's trace: parent = sender, link = tick.
    const remoteSpan = spans.find((s) => s.spanId === remote!.span.spanId)!;
    expect(remoteSpan).toMatchObject({ traceId: SENDER.traceId, parentSpanId: SENDER.spanId });
    expect(remoteSpan.links).toEqual([
      {
        traceId: TRACE_ID,
        spanId: ticks[2]!.spanId,
        attributes: [{ key: 'aoi.link', value: { stringValue: 'tick' } }],
      },
    ]);
    expect(remoteSpan.attributes).toContainEqual({ key: 'aoi.caused.moves', value: { intValue: '2' } });
    expect(remoteSpan.endTimeUnixNano).toBe(ticks[2]!.endTimeUnixNano);
  });

  it('links a same-trace message to its sender and gives span-less ticks generated ids', () => {
    const base = recordedTrace();
    const sender = { traceId: TRACE_ID, spanId: 'abcdefabcdefabcd' };
    const message = { name: 'relay', span: { traceId: TRACE_ID, spanId: '1234567812345678' }, parent: sender };
    const withMessage = { ...base.records[0]!, messages: [message] };
    const { span: _, ...spanless } = base.records[1]!;
    const out = new StringTextSink();
    exportOtlp(new MemoryTrace(base.header, [withMessage, spanless]), out);
    const spans = spansOf(out.toString());
    expect(spans.map((s) => s.name)).toEqual(['tick 0', 'relay', 'tick 1']);
    expect(spans[1]).toMatchObject({ traceId: TRACE_ID, parentSpanId: spans[0]!.spanId });
    expect(spans[1]!.links).toEqual([
      { ...sender, attributes: [{ key: 'aoi.link', value: { stringValue: 'sender' } }] },
    ]);
    expect(spans[2]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans[2]!.traceId).not.toBe(TRACE_ID);
    expect(spans[2]!.spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});
