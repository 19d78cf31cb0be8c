// The `resync` field of a tick line (docs/aoi-trace-ndjson.md): the tick follows the world given here instead of
// the tick before it, because ticks were lost in between (an export of a damaged .aoitrace writes it). Version 1
// readers that ignore it fail at the first tick that needs it, never silently.

import { TraceError } from '../errors.js';
import { emptyMoves } from '../model/columns.js';
import { stateAsTick, tickAsState } from '../model/state-as-tick.js';
import type { TraceResync } from '../model/types.js';
import { parseHeightFields } from './height-json.js';
import type { JsonFields } from './json-fields.js';

const MAX_ID = 0x7fffffff;

export function resyncJson(resync: TraceResync): object {
  const { state } = resync;
  const tick = stateAsTick(state);
  const views = new Map<number, number[]>();
  for (let i = 0; i < tick.events.count; i++) {
    const watcher = tick.events.watchers[i]!;
    let list = views.get(watcher);
    if (list === undefined) {
      list = [];
      views.set(watcher, list);
    }
    list.push(tick.events.targets[i]!);
  }
  return {
    lostFrom: resync.lostFrom,
    reason: resync.reason,
    tick: state.tick,
    time: state.time,
    entities: tick.spawns.map(({ cause: _, ...spawn }) => ({
      ...spawn,
      spawnTick: state.entities.get(spawn.id)!.spawnTick,
    })),
    views: [...views].map(([watcher, targets]) => ({ watcher, targets })),
  };
}

/** Shapes are checked here; TickValidator checks the world with the rules of a tick (stateAsTick). */
export function parseResync(fields: JsonFields): TraceResync {
  const tick = fields.integer('tick', 0, Number.MAX_SAFE_INTEGER);
  const time = fields.number('time');
  const lostFrom = fields.object.lostFrom === null ? null : fields.integer('lostFrom', 0, Number.MAX_SAFE_INTEGER);
  const spawnTicks = new Map<number, number>();
  const spawns = fields.array('entities').map((item, i) => {
    const entity = fields.child(item, `entities[${i}]`);
    const viewRadius = entity.number('viewRadius', 0);
    const id = entity.integer('id', 0, MAX_ID);
    spawnTicks.set(id, entity.integer('spawnTick', 0, Number.MAX_SAFE_INTEGER, tick));
    return {
      id,
      x: entity.number('x'),
      y: entity.number('y'),
      viewRadius,
      leaveRadius: entity.number('leaveRadius', viewRadius),
      watcher: entity.boolean('watcher', true),
      marker: entity.boolean('marker', true),
      tags: entity.strings('tags'),
      cause: -1,
      ...parseHeightFields(entity),
    };
  });
  const watchers: number[] = [];
  const targets: number[] = [];
  fields.array('views').forEach((item, i) => {
    const view = fields.child(item, `views[${i}]`);
    const watcher = view.integer('watcher', 0, MAX_ID);
    view.array('targets').forEach((target, j) => {
      if (typeof target !== 'number' || !Number.isInteger(target) || target < 0 || target > MAX_ID) {
        view.fail(`targets[${j}]`, `must be an entity id (integer 0..${MAX_ID}).`);
      }
      watchers.push(watcher);
      targets.push(target as number);
    });
  });
  const record = {
    tick,
    time,
    eventBase: 0,
    messages: [],
    spawns,
    updates: [],
    moves: emptyMoves(0),
    despawns: [],
    events: {
      count: watchers.length,
      kinds: new Uint8Array(watchers.length),
      watchers: Int32Array.from(watchers),
      targets: Int32Array.from(targets),
    },
  };
  let state: TraceResync['state'];
  try {
    state = tickAsState(record, spawnTicks);
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    fields.fail(undefined, `resync state: ${error.message.replace(/^tick \d+: /, '')}`);
  }
  if (lostFrom !== null && lostFrom > tick) fields.fail('lostFrom', `must be <= tick ${tick}.`);
  return { state, lostFrom, reason: fields.string('reason', 'ticks lost') };
}
