// The kinetic pair schedule on a thread of its own (issue 15, Scale): it reads the same file as the detectors,
// replays the entities only (no views: the schedule never reads them) and posts, per tick, the pairs it hands over.
// The detectors' thread then skips the schedule, ~45% of a dense tick. Started by WorkerSchedule
// (worker-schedule.ts), which says what the messages and the control block hold.

import { workerData } from 'node:worker_threads';
import { TraceError } from '../errors.js';
import { openTraceReader } from '../format/trace-reader.js';
import type { TickRecord } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { resolveRange } from '../query/arguments.js';
import { openReplay } from '../query/replay.js';
import { recordHasHeight, stateHasHeight } from './cylinder.js';
import { KineticPairs } from './kinetic-pairs.js';
import { Control, type ScheduleWorkerData, type TickPairs, WINDOW } from './worker-schedule.js';

/** A world of entities without views: what the schedule reads, at a fraction of a full replay's cost. */
class EntityWorld extends WorldState {
  override enter(): void {}
  override exit(): void {}
  protected override adoptViews(): void {}

  static of(state: WorldState): EntityWorld {
    const world = new EntityWorld();
    world.tick = state.tick;
    world.time = state.time;
    for (const [id, entity] of state.entities) world.entities.set(id, { ...entity });
    return world;
  }
}

const { path, range, tolerance, control, port } = workerData as ScheduleWorkerData;

/** Posts one message and wakes the detectors' thread; waits while it is WINDOW ticks behind. */
function post(message: TickPairs, transfer: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
  const produced = Atomics.add(control, Control.Produced, 1) + 1;
  Atomics.notify(control, Control.Produced);
  for (;;) {
    const consumed = Atomics.load(control, Control.Consumed);
    if (produced - consumed <= WINDOW || Atomics.load(control, Control.Stop) !== 0) return;
    Atomics.wait(control, Control.Consumed, consumed);
  }
}

function run(): void {
  const reader = openTraceReader(path);
  try {
    let state: WorldState;
    let records: Iterable<TickRecord>;
    // The same ticks from the same world as detect() (detect.ts) reads.
    if (range === undefined || (range.from === undefined && range.to === undefined)) {
      state = new EntityWorld();
      records = reader.ticks();
    } else {
      const { from, to } = resolveRange(reader, range, 'range');
      const replay = openReplay(reader, from, to);
      state = EntityWorld.of(replay.state);
      records = replay.records;
    }
    const schedule = new KineticPairs(tolerance);
    let height = stateHasHeight(state);
    if (height) schedule.enableHeight();
    for (const record of records) {
      if (Atomics.load(control, Control.Stop) !== 0) return;
      if (!height && recordHasHeight(record)) {
        height = true;
        schedule.enableHeight();
      }
      state.apply(record);
      const changes = schedule.update(state, record);
      const pairs = new Int32Array(2 * changes.count);
      for (let i = 0; i < changes.count; i++) {
        pairs[2 * i] = changes.watchers[i]!;
        pairs[2 * i + 1] = changes.targets[i]!;
      }
      post({ tick: record.tick, full: changes.full, pairs }, [pairs.buffer]);
    }
    post({ end: true }, []);
    // Stays until the detectors are done (their close() says so): a thread's CPU time can be read until then.
    while (Atomics.load(control, Control.Stop) === 0) Atomics.wait(control, Control.Stop, 0);
  } finally {
    reader.close();
  }
}

try {
  run();
} catch (error) {
  const failure =
    error instanceof TraceError
      ? { code: error.code, message: error.message, details: error.details }
      : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  post({ failure }, []);
} finally {
  port.close();
}
