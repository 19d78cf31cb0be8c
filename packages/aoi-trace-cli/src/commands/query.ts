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
import { intOption, parseCommand } from '../args.js';
import { damageOf, warnDamage } from '../damage-output.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { openInput } from '../open-input.js';

const HELP = `Usage: aoi-trace query <trace> <question> [options]

Questions:
  state --tick <t> [--entity <id>]          the world after tick t (or one entity and its view set)
  lifecycle --entity <id> [--from --to]     created, moved in, moved out, destroyed, with ticks and regions
  view --entity <id> --from <t1> --to <t2>  its view set at t1 and t2, the diff, and every change between
  seen [--watcher <id>] [--target <id>] [--from --to]   who saw whom, as visibility intervals
  events [--entity|--watcher|--target <id>] [--kind enter,exit,move] [--from --to] [--limit <n>]
  event --id <event id>                     the causal chain of one event: tick span, messages, geometry
Text by default; --json prints JSON (one object, or one per line for events).
A cut or damaged input: the answer covers what could be read, stderr says what could not (one JSON object with
--json), and the exit code is 3.`;

interface Values {
  tick?: string;
  entity?: string;
  watcher?: string;
  target?: string;
  from?: string;
  to?: string;
  kind?: string;
  id?: string;
  limit?: string;
}

export async function runQueryCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<Values>(
    'query',
    args,
    {
      tick: { type: 'string', short: 't' },
      entity: { type: 'string', short: 'e' },
      watcher: { type: 'string' },
      target: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      kind: { type: 'string' },
      id: { type: 'string' },
      limit: { type: 'string' },
    },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [path, question, ...extra] = parsed.positionals;
  if (path === undefined || question === undefined || extra.length > 0) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      'usage: aoi-trace query <trace> <question> [options] (see --help).',
    );
  }
  const v = parsed.values;
  const json = v.json === true;
  const input = openInput(path);
  try {
    const code = answer(input, question, v, json, io);
    warnDamage(io, 'query', damageOf(input), json);
    return code === EXIT.ok && damageOf(input).length > 0 ? EXIT.findings : code;
  } finally {
    (input as { close?(): void }).close?.();
  }
}

/** Prints the answer to `question`; the caller reports damage and closes the input. */
function answer(
  input: ReturnType<typeof openInput>,
  question: string,
  v: Values & { json?: boolean },
  json: boolean,
  io: CliIo,
): ExitCode {
  const print = (value: unknown, text: () => string) => io.stdout.write(`${json ? JSON.stringify(value) : text()}\n`);
  const range = { ...opt('from', intOption(v.from, 'from')), ...opt('to', intOption(v.to, 'to')) };
  switch (question) {
    case 'state': {
      const tick = required(intOption(v.tick, 'tick'), 'tick', question);
      const state = stateAt(input, tick);
      const entity = intOption(v.entity, 'entity');
      if (entity !== undefined) {
        const e = state.entities.get(entity);
        if (e === undefined) {
          throw new TraceError(TraceErrorCode.InvalidArgument, `entity ${entity} does not exist after tick ${tick}.`);
        }
        const view = state.viewOf(entity);
        print({ tick: state.tick, entity: e, view }, () =>
          [
            `tick ${state.tick}: entity ${entity} at (${e.x}, ${e.y}), view ${e.viewRadius}/${e.leaveRadius}, tags ${e.tags.join(',') || '-'}`,
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
      const entity = required(intOption(v.entity, 'entity'), 'entity', question);
      const items = lifecycle(input, entity, range);
      print(items, () => items.map((item) => `tick ${item.tick} ${JSON.stringify(item)}`).join('\n') || '(nothing)');
      return EXIT.ok;
    }
    case 'view': {
      const entity = required(intOption(v.entity, 'entity'), 'entity', question);
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
        ...opt('watcher', intOption(v.watcher, 'watcher')),
        ...opt('target', intOption(v.target, 'target')),
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
      const limit = intOption(v.limit, 'limit', 1) ?? Number.POSITIVE_INFINITY;
      let n = 0;
      for (const event of eventsOf(input, {
        ...range,
        ...opt('entity', intOption(v.entity, 'entity')),
        ...opt('watcher', intOption(v.watcher, 'watcher')),
        ...opt('target', intOption(v.target, 'target')),
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
      const chain = causalChain(input, required(intOption(v.id, 'id'), 'id', question));
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
