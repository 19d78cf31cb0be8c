import { isVerticalMove } from '../detect/cylinder.js';
import { eventKindAt } from '../model/event-kind-name.js';
import type { CauseMessage, SpanContext, TickRecord, TraceEventKindName, TraceInput } from '../model/types.js';
import { locateEvent } from './find-event.js';
import { isSeekable } from './replay.js';
import { distance, type EntityAfterTick, entitiesDuringTick, type Point } from './tick-geometry.js';
import { type TraceEvent, targetFields, traceEventAt } from './trace-event.js';
import {
  describeVertical,
  enterBeyondReach,
  exitByHeight,
  type VerticalGeometry,
  verticalGeometry,
} from './vertical-reach.js';

/** `vertical-move`: an update of z alone, how a trace with height records a move that changes z. */
export type ChangeKind = 'spawn' | 'update' | 'move' | 'vertical-move' | 'teleport' | 'despawn';

/** A change the tick made to the event's watcher or target, and the message that made it (if any). */
export interface CausingChange {
  readonly entity: number;
  readonly role: 'watcher' | 'target';
  readonly change: ChangeKind;
  /** Index into the tick's messages, or -1. */
  readonly messageIndex: number;
  readonly message: CauseMessage | null;
}

export interface EntityGeometry {
  readonly id: number;
  /** Null when spawned in this tick. */
  readonly before: Point | null;
  readonly after: Point;
  readonly viewRadius: number;
  readonly leaveRadius: number;
}

export interface EventGeometry {
  /** Null when the trace does not know the entity. */
  readonly watcher: EntityGeometry | null;
  readonly target: EntityGeometry | null;
  readonly distanceBefore: number | null;
  readonly distanceAfter: number | null;
  /** On a trace with height (either entity has a height field): z, the gap |dz| and the watcher's half-heights. */
  readonly vertical?: VerticalGeometry;
}

export interface CausalChain {
  readonly event: TraceEvent;
  readonly tickSpan: SpanContext | null;
  /** The messages behind `changes`, once each, in tick order: their spans and the senders' (parent) spans. */
  readonly causes: CauseMessage[];
  readonly changes: CausingChange[];
  readonly geometry: EventGeometry;
  /** The previous event of the same watcher and target; null when this is their first. */
  readonly previous: { readonly eventId: number; readonly tick: number; readonly kind: TraceEventKindName } | null;
  /** The chain in words, from cause to effect. */
  readonly steps: string[];
}

/** Explains event `eventId`: what changed in its tick and why, the geometry, and what came before for the pair. */
export function causalChain(input: TraceInput, eventId: number): CausalChain {
  const { record, index, before } = locateEvent(input, eventId);
  const watcher = record.events.watchers[index]!;
  const target = record.events.targets[index]!;
  const during = entitiesDuringTick(before, record, new Set([watcher, target]));
  const event = traceEventAt(record, index, targetFields(during.get(target), input.header.regionSize));
  const changes = changesOf(record, watcher, target);
  const causes = [...new Set(changes.map((c) => c.messageIndex).filter((i) => i >= 0))]
    .sort((a, b) => a - b)
    .map((i) => record.messages[i]!);
  const geometry = geometryOf(during, watcher, target);
  const previous = previousEvent(input, record.tick, eventId, watcher, target);
  const steps = describeChain(event, changes, geometry, previous);
  return { event, tickSpan: record.span ?? null, causes, changes, geometry, previous, steps };
}

function changesOf(record: TickRecord, watcher: number, target: number): CausingChange[] {
  const changes: CausingChange[] = [];
  const add = (entity: number, change: ChangeKind, messageIndex: number) => {
    const roles = [entity === watcher ? 'watcher' : undefined, entity === target ? 'target' : undefined] as const;
    for (const role of roles) {
      if (role !== undefined) {
        changes.push({ entity, role, change, messageIndex, message: record.messages[messageIndex] ?? null });
      }
    }
  };
  for (const spawn of record.spawns) add(spawn.id, 'spawn', spawn.cause);
  for (const update of record.updates)
    add(update.id, isVerticalMove(update) ? 'vertical-move' : 'update', update.cause);
  const moves = record.moves;
  for (let i = 0; i < moves.count; i++) {
    add(moves.ids[i]!, moves.teleports[i] === 1 ? 'teleport' : 'move', moves.causes[i]!);
  }
  for (const id of record.despawns) add(id, 'despawn', -1);
  return changes;
}

function geometryOf(during: Map<number, EntityAfterTick>, watcher: number, target: number): EventGeometry {
  const of = (id: number): EntityGeometry | null => {
    const e = during.get(id);
    return e === undefined
      ? null
      : { id, before: e.before, after: e.after, viewRadius: e.viewRadius, leaveRadius: e.leaveRadius };
  };
  const w = of(watcher);
  const t = of(target);
  const dw = during.get(watcher);
  const dt = during.get(target);
  const vertical =
    dw === undefined || dt === undefined
      ? undefined
      : verticalGeometry(dw.height, dt.height, dw.before === null, dt.before === null);
  return {
    watcher: w,
    target: t,
    distanceBefore: distance(w?.before ?? null, t?.before ?? null),
    distanceAfter: distance(w?.after ?? null, t?.after ?? null),
    ...(vertical === undefined ? {} : { vertical }),
  };
}

/** Scans the ticks up to the event's for the last earlier event of the same pair. */
/**
 * The pair's latest event before `eventId`. A seekable input is searched backwards in windows that double in
 * length (each read seeks to the keyframe before it), so an event whose pair changed recently does not read the
 * trace from tick 0; any other input is read from the start once.
 */
function previousEvent(input: TraceInput, tick: number, eventId: number, watcher: number, target: number) {
  const scan = (from: number, to: number) => {
    let previous: CausalChain['previous'] = null;
    for (const record of input.ticks({ from, to })) {
      const events = record.events;
      const end = Math.min(events.count, eventId - record.eventBase);
      for (let i = 0; i < end; i++) {
        if (events.watchers[i] === watcher && events.targets[i] === target) {
          previous = {
            eventId: record.eventBase + i,
            tick: record.tick,
            kind: eventKindAt(events, i),
          };
        }
      }
    }
    return previous;
  };
  if (!isSeekable(input)) return scan(0, tick);
  let to = tick;
  for (let length = 32; to >= 0; length *= 2) {
    const from = Math.max(0, to - length + 1);
    const found = scan(from, to);
    if (found !== null) return found;
    to = from - 1;
  }
  return null;
}

const num = (value: number) => String(Math.round(value * 1000) / 1000);
const at = (p: Point) => `(${num(p.x)}, ${num(p.y)})`;
const span = (s: SpanContext) => `${s.traceId}/${s.spanId}`;

function describeChain(
  event: TraceEvent,
  changes: readonly CausingChange[],
  geometry: EventGeometry,
  previous: CausalChain['previous'],
): string[] {
  const steps: string[] = [];
  steps.push(
    previous === null
      ? `no earlier event between watcher ${event.watcher} and target ${event.target}`
      : `before: ${previous.kind} #${previous.eventId} at tick ${previous.tick}`,
  );
  const v = geometry.vertical;
  for (const c of changes) {
    const who = `${c.role} ${c.entity}`;
    const place = geometry[c.role]?.after;
    const z = v === undefined ? undefined : c.role === 'watcher' ? v.watcherZAfter : v.targetZAfter;
    const where =
      place === undefined
        ? ''
        : ` ${c.change === 'spawn' ? 'at' : 'to'} ${at(place)}${z === undefined ? '' : `, z ${num(z)}`}`;
    const what =
      c.change === 'vertical-move'
        ? `${c.change}${z === undefined ? '' : ` to z ${num(z)}`}`
        : c.change === 'move' || c.change === 'teleport' || c.change === 'spawn'
          ? `${c.change}${where}`
          : c.change;
    if (c.message === null) steps.push(`${who}: ${what} (no message recorded)`);
    else {
      const parent = c.message.parent === undefined ? 'started here' : `sent from span ${span(c.message.parent)}`;
      steps.push(`message '${c.message.name}' (span ${span(c.message.span)}, ${parent}) -> ${who}: ${what}`);
    }
  }
  const w = geometry.watcher;
  if (w !== null && geometry.distanceAfter !== null) {
    const was = geometry.distanceBefore === null ? '' : ` (was ${num(geometry.distanceBefore)})`;
    steps.push(
      `tick ${event.tick}${event.tickSpan ? ` (span ${span(event.tickSpan)})` : ''}: distance ${num(geometry.distanceAfter)}${was}; ` +
        `watcher ${w.id} view radius ${num(w.viewRadius)}, leave radius ${num(w.leaveRadius)}`,
    );
    if (v !== undefined) steps.push(describeVertical(v, w.id));
  }
  steps.push(
    `=> ${event.kind} #${event.id}: watcher ${event.watcher}, target ${event.target}${ruleNote(event, changes, geometry)}`,
  );
  return steps;
}

/** Flags an event the recorded geometry does not explain (what a person debugging the engine wants to see). */
function ruleNote(event: TraceEvent, changes: readonly CausingChange[], geometry: EventGeometry): string {
  const d = geometry.distanceAfter;
  const w = geometry.watcher;
  const v = geometry.vertical;
  if (d === null || w === null) return '';
  if (event.kind === 'enter' && d > w.viewRadius) return ` (unexpected: distance is beyond the view radius)`;
  if (event.kind === 'enter' && v !== undefined && enterBeyondReach(v)) {
    return ' (unexpected: the vertical gap is beyond the view half-height)';
  }
  if (
    event.kind === 'exit' &&
    d <= w.leaveRadius &&
    (v === undefined || !exitByHeight(v)) &&
    !changes.some((c) => c.change === 'despawn' || c.change === 'update')
  ) {
    return v === undefined
      ? ' (unexpected: distance is within the leave radius)'
      : ' (unexpected: distance is within the leave radius and the vertical gap within the leave half-height)';
  }
  return '';
}
