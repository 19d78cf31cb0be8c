import {
  causalChain,
  EVENT_KIND_NAMES,
  eventsOf,
  lifecycle,
  stateAt,
  TraceError,
  TraceErrorCode,
  type TraceEventKindName,
  viewBetween,
  whoSawWhom,
} from '@lanes/aoi-trace';
import { type CliIo, defineCommand, EXIT, type ExitCode, type ParsedCommand } from '@lanes/cli-kit';
import { damageOf, warnDamage } from '../damage-output.js';
import { openInput } from '../open-input.js';

const ENTITY = { type: 'integer', value: '<id>' } as const;
const TICK = { type: 'integer', value: '<t>' } as const;

export const queryCommand = defineCommand({
  name: 'query',
  summary: 'state, lifecycle, view, seen, events, event (causal chain)',
  positionals: [{ name: 'trace' }, { name: 'question' }],
  description: `Questions:
  state --tick <t> [--entity <id>]          the world after tick t (or one entity and its view set)
  lifecycle --entity <id> [--from --to]     created, moved in, moved out, destroyed, with ticks and regions
  view --entity <id> --from <t1> --to <t2>  its view set at t1 and t2, the diff, and every change between
  seen [--watcher <id>] [--target <id>] [--from --to]   who saw whom, as visibility intervals
  events [--entity|--watcher|--target <id>] [--kind enter,exit,move] [--from --to] [--limit <n>]
  event --id <event id>                     the causal chain of one event: tick span, messages, geometry
                                            (with height also z, the gap |dz| and the half-heights)
Text by default; --json prints JSON (one object, or one per line for events).
A cut or damaged input: the answer covers what could be read, stderr says what could not (one JSON object with
--json), and the exit code is 3.`,
  options: {
    tick: { ...TICK, short: 't', description: 'the tick (state)' },
    entity: { ...ENTITY, short: 'e', description: 'the entity (state, lifecycle, view, events)' },
    watcher: { ...ENTITY, description: 'the entity that sees (seen, events)' },
    target: { ...ENTITY, description: 'the entity seen (seen, events)' },
    from: { ...TICK, description: 'the first tick' },
    to: { ...TICK, description: 'the last tick' },
    kind: { type: 'string', value: '<list>', description: 'event kinds: enter, exit, move (events)' },
    id: { type: 'integer', value: '<event id>', description: 'the event (event)' },
    limit: { type: 'integer', value: '<n>', description: 'at most n events (events)' },
  },
  async run({ values, positionals }, io) {
    const [path, question] = positionals as [string, string];
    const json = values.json === true;
    const input = openInput(path);
    try {
      const code = answer(input, question, values, json, io);
      warnDamage(io, 'query', damageOf(input), json);
      return code === EXIT.ok && damageOf(input).length > 0 ? EXIT.findings : code;
    } finally {
      (input as { close?(): void }).close?.();
    }
  },
});

type Values = ParsedCommand<typeof queryCommand.options>['values'];

/** Prints the answer to `question`; the caller reports damage and closes the input. */
function answer(input: ReturnType<typeof openInput>, question: string, v: Values, json: boolean, io: CliIo): ExitCode {
  const print = (value: unknown, text: () => string) => io.stdout.write(`${json ? JSON.stringify(value) : text()}\n`);
  const range = { ...opt('from', v.from), ...opt('to', v.to) };
  switch (question) {
    case 'state': {
      const tick = required(v.tick, 'tick', question);
      const state = stateAt(input, tick);
      const entity = v.entity;
      if (entity !== undefined) {
        const e = state.entities.get(entity);
        if (e === undefined) {
          throw new TraceError(TraceErrorCode.InvalidArgument, `entity ${entity} does not exist after tick ${tick}.`);
        }
        const view = state.viewOf(entity);
        print({ tick: state.tick, entity: e, view }, () =>
          [
            `tick ${state.tick}: entity ${entity} at (${e.x}, ${e.y})${heightText(e)}, view ${e.viewRadius}/${e.leaveRadius}, tags ${e.tags.join(',') || '-'}`,
            `  sees ${view.length}: ${view.join(' ') || '-'}`,
          ].join('\n'),
        );
      } else {
        const views = [...state.views.values()].reduce((n, s) => n + s.size, 0);
        print(
          { tick: state.tick, time: state.time, entities: state.entities.size, viewPairs: views },
          () => `tick ${state.tick}: ${state.entities.size} entities, ${views} (watcher, target) pairs in view`,
        );
      }
      return EXIT.ok;
    }
    case 'lifecycle': {
      const entity = required(v.entity, 'entity', question);
      const items = lifecycle(input, entity, range);
      print(items, () => items.map((item) => `tick ${item.tick} ${JSON.stringify(item)}`).join('\n') || '(nothing)');
      return EXIT.ok;
    }
    case 'view': {
      const entity = required(v.entity, 'entity', question);
      const result = viewBetween(
        input,
        entity,
        required(range.from, 'from', question),
        required(range.to, 'to', question),
      );
      print(result, () => JSON.stringify(result, null, 2));
      return EXIT.ok;
    }
    case 'seen': {
      const intervals = whoSawWhom(input, {
        ...range,
        ...opt('watcher', v.watcher),
        ...opt('target', v.target),
      });
      print(
        intervals,
        () =>
          intervals
            .map((i) => {
              const lost = i.lost === undefined ? '' : ` (its ${i.lost} is in ticks that could not be read)`;
              return `${i.watcher} saw ${i.target} from tick ${i.fromTick} to ${i.toTick ?? 'the end'}${lost}`;
            })
            .join('\n') || '(nobody)',
      );
      return EXIT.ok;
    }
    case 'events': {
      const limit = v.limit ?? Number.POSITIVE_INFINITY;
      if (limit < 1) throw new TraceError(TraceErrorCode.InvalidArgument, `--limit must be 1 or more, got ${limit}.`);
      let n = 0;
      for (const event of eventsOf(input, {
        ...range,
        ...opt('entity', v.entity),
        ...opt('watcher', v.watcher),
        ...opt('target', v.target),
        ...(v.kind === undefined ? {} : { kinds: kinds(v.kind) }),
      })) {
        if (n++ >= limit) break;
        io.stdout.write(
          `${json ? JSON.stringify(event) : `#${event.id} tick ${event.tick} ${event.kind} ${event.watcher} -> ${event.target}`}\n`,
        );
      }
      return EXIT.ok;
    }
    case 'event': {
      const chain = causalChain(input, required(v.id, 'id', question));
      print(chain, () => JSON.stringify(chain, null, 2));
      return EXIT.ok;
    }
    default:
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        `unknown question "${question}"; ask one of state, lifecycle, view, seen, events, event.`,
      );
  }
}

/** z and the half-heights of an entity with height (empty for a 2D one): `, z 10, half-heights 4/6`. */
function heightText(e: { z?: number; viewHeight?: number; leaveHeight?: number }): string {
  if (e.z === undefined && e.viewHeight === undefined && e.leaveHeight === undefined) return '';
  const view = e.viewHeight ?? Number.POSITIVE_INFINITY;
  const limit = (h: number) => (h === Number.POSITIVE_INFINITY ? 'none' : String(h));
  return `, z ${e.z ?? 0}, half-heights ${limit(view)}/${limit(e.leaveHeight ?? view)}`;
}

function opt<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function required(value: number | undefined, name: string, question: string): number {
  if (value === undefined) throw new TraceError(TraceErrorCode.InvalidArgument, `query ${question} needs --${name}.`);
  return value;
}

function kinds(text: string): TraceEventKindName[] {
  const list = text.split(',').map((s) => s.trim());
  for (const kind of list) {
    if (!EVENT_KIND_NAMES.includes(kind as TraceEventKindName)) {
      throw new TraceError(TraceErrorCode.InvalidArgument, `--kind: "${kind}" is not one of enter, exit, move.`);
    }
  }
  return list as TraceEventKindName[];
}
