/** Wall time of the engine's updates, kept only with `metrics: true` (otherwise the world holds no timer at all). */
export class UpdateTimer {
  count = 0;
  totalMs = 0;
  maxMs = 0;
  lastMs = 0;

  /** One update took `ms` (the engine's own work: computing and sorting, not the listeners). */
  record(ms: number): void {
    this.count++;
    this.totalMs += ms;
    this.lastMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }
}

/** The seed's "average AOI update latency", in seconds (Prometheus' base unit). */
export interface UpdateLatency {
  /** Updates measured: one per `tick()` in batched mode, one per mutating call in immediate mode. */
  readonly count: number;
  readonly totalSeconds: number;
  /** totalSeconds / count (0 before the first update). */
  readonly meanSeconds: number;
  readonly maxSeconds: number;
  readonly lastSeconds: number;
}

export function latencyOf(timer: UpdateTimer): UpdateLatency {
  const { count, totalMs, maxMs, lastMs } = timer;
  return {
    count,
    totalSeconds: totalMs / 1000,
    meanSeconds: count === 0 ? 0 : totalMs / count / 1000,
    maxSeconds: maxMs / 1000,
    lastSeconds: lastMs / 1000,
  };
}
