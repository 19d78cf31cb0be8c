import type { AoiStats } from '@lanes/aoi';
import type { SinkBacklog } from '../model/types.js';

/**
 * The recorder's side of the seed's monitoring table (see docs/aoi-trace.md, "Monitoring"): how much it holds that
 * the file does not have yet, and the engine's own indicators passed through.
 */
export interface RecorderStats {
  /** Ticks closed by endTick/tick. */
  readonly ticks: number;
  /** Events in the closed ticks. */
  readonly events: number;
  /** Events of the open tick: recorded, not yet handed to the sink (the next endTick does). */
  readonly openEvents: number;
  /** Spawns, updates, moves and despawns of the open tick. */
  readonly openChanges: number;
  /** The sink's backlog (ticks and chunks not yet written); null when the sink does not report one. */
  readonly sink: SinkBacklog | null;
  /** The world's {@link AoiStats}. */
  readonly engine: AoiStats;
}
