// The writer's refusal of a tick that a reader would refuse: too many bytes, entities or pair tests for one chunk
// (the bounds are in limits.ts). The writer checks each tick after encoding it and drops it if it does not fit.

import { beyondLimit, Limits } from './limits.js';

/** Format 3: a tick whose prediction alone would take half a chunk's work (chunks are flushed at half). */
export function checkPredictionFits(tick: number, work: number): void {
  if (work <= Limits.predictionWork / 2) return;
  throw beyondLimit(`tick ${tick} predicts with ${work} pair tests, over half the limit of ${Limits.predictionWork}`);
}

/** A tick whose bytes or world the format cannot hold (the reader would refuse the chunk). */
export function checkTickFits(tick: number, bytes: number, entities: number): void {
  if (bytes > Limits.chunkPayload / 2) {
    throw beyondLimit(`tick ${tick} encodes to ${bytes} bytes, over half the ${Limits.chunkPayload}-byte chunk limit`);
  }
  if (entities > Limits.liveEntities) {
    throw beyondLimit(`tick ${tick} makes ${entities} live entities, over the limit of ${Limits.liveEntities}`);
  }
}
