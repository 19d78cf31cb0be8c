// Reads 2.x's events section (layout in docs/aoitrace-format.md, "Tick"): the kinds two bits each, then the events
// grouped by watcher. Format 3 stores the events its prediction misses the same way (event-deviations.ts).

import type { EventColumns } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import { noEvents, type Scratch } from './decoded-columns.js';
import { type ChunkBudget, DecodeCost } from './limits.js';
import { readId } from './tick-field-reader.js';

/** 2.x's events section (format 3 stores its extra events the same way). */
export function readEvents(input: ByteReader, scratch: Scratch | undefined, budget: ChunkBudget): EventColumns {
  // Each event takes at least a quarter byte (kind) and a target byte.
  const count = input.varint();
  if (count > input.remaining) throw input.fail(`event count ${count} exceeds the payload`);
  if (count === 0 && scratch === undefined) return noEvents();
  budget.charge(count, DecodeCost.event, 'event');
  const events: EventColumns = scratch?.events(count) ?? {
    count,
    kinds: new Uint8Array(count),
    watchers: new Int32Array(count),
    targets: new Int32Array(count),
  };
  if (count === 0) return events;
  const kindBytes = input.take((count + 3) >> 2, 'event kinds');
  for (let i = 0; i < count; i++) {
    const kind = (kindBytes[i >> 2]! >> ((i & 3) * 2)) & 3;
    if (kind === 3) throw input.fail('bad event kind 3');
    events.kinds[i] = kind;
  }
  const groups = input.count('event group', 3);
  let i = 0;
  let prevWatcher = 0;
  for (let g = 0; g < groups; g++) {
    const watcher = readId(input, prevWatcher);
    prevWatcher = watcher;
    const size = input.varint() + 1;
    if (size > count - i) throw input.fail('event groups hold more events than the count');
    let prevTarget = watcher;
    for (let j = 0; j < size; j++, i++) {
      const target = readId(input, prevTarget);
      prevTarget = target;
      events.watchers[i] = watcher;
      events.targets[i] = target;
    }
  }
  if (i !== count) throw input.fail('event groups hold fewer events than the count');
  return events;
}
