import type { TickRecord, TraceHeader, WorldState } from '@lanes/aoi-trace';
import type { AnomalyFinding, DetectionStatus } from '../protocol/api-types.js';

export interface TickBounds {
  readonly first: number;
  readonly last: number;
}

/**
 * What the viewer reads a trace through: a recorded file ({@link FileDataSource}) or a stream that grows while the
 * page is open ({@link LiveDataSource}). Reads are bounded: a window of ticks or one state, never the whole trace.
 */
export interface ViewerDataSource {
  readonly kind: 'file' | 'live';
  /** Shown in the page: a file path, `live`, ... */
  readonly name: string;
  /** Undefined until a live stream has begun. */
  header(): TraceHeader | undefined;
  /** First and last tick available; undefined while there is none. */
  bounds(): TickBounds | undefined;
  anomalies(): readonly AnomalyFinding[];
  /** Whether detectors still run and their exact counts; without it, the listed findings are taken as all. */
  detection?(): DetectionStatus;
  /** The world after `tick` (the last tick <= `tick`). The caller must not change it. */
  stateAt(tick: number): WorldState;
  /** Ticks with `from <= tick <= to`, in order. */
  ticks(from: number, to: number): Iterable<TickRecord>;
}
