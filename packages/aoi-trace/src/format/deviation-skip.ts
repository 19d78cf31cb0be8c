// Steps over format 3's events section (event-deviations.ts) without rebuilding the events: a 3.x seek that hands
// out positions first (state-at.ts) reads the ticks for their spawns, updates, moves and despawns only. The section's
// order record holds one varint per event of the tick, a count only the prediction knows, so a tick with one cannot
// be stepped over: the seek then replays with the prediction (EventsNeeded).

import type { ByteReader } from './byte-reader.js';
import { DeviationFlag } from './event-deviations.js';
import { readEvents } from './event-section-reader.js';
import type { ChunkBudget } from './limits.js';

/** Thrown by {@link skipDeviations} at an order record: only a replay with the prediction can read on. */
export class EventsNeeded extends Error {
  constructor() {
    super('a 3.x tick stores its event order: its length needs the prediction');
  }
}

/** Reads past a tick's events section, checking what can be checked without the prediction. */
export function skipDeviations(input: ByteReader, budget: ChunkBudget): void {
  const flags = input.varint();
  if (flags > 15) throw input.fail(`unknown events flags ${flags}`);
  if (flags & DeviationFlag.Order) throw new EventsNeeded();
  if (flags & DeviationFlag.Missing) {
    const missing = input.count('missing event');
    for (let m = 0; m < missing; m++) input.varint();
  }
  if (flags & DeviationFlag.Extra) readEvents(input, undefined, budget);
}
