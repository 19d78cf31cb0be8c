import type { Replica } from './replica.js';

/** The replicas of one lane of one service, balanced round robin. */
export class LaneReplicas {
  private next = 0;

  constructor(
    readonly service: string,
    readonly lane: string,
    readonly replicas: readonly Replica[],
  ) {}

  /**
   * The replica for the next request, or undefined when the lane is down. Healthy replicas first; replicas not
   * checked yet only when no checked one is healthy (so a cold start serves, and a booting replica waits its turn).
   */
  pick(exclude?: Replica): Replica | undefined {
    const count = this.replicas.length;
    if (count === 0) return undefined;
    const now = Date.now();
    let fallback: Replica | undefined;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(this.next + i) % count]!;
      if (replica === exclude || !replica.usable(now)) continue;
      if (replica.state === 'healthy') {
        this.next = (this.next + i + 1) % count;
        return replica;
      }
      fallback ??= replica;
    }
    if (fallback) this.next = (this.replicas.indexOf(fallback) + 1) % count;
    return fallback;
  }

  /** Replicas that would take traffic now. */
  healthyCount(): number {
    const now = Date.now();
    let healthy = 0;
    for (const replica of this.replicas) if (replica.state === 'healthy' && replica.usable(now)) healthy++;
    return healthy;
  }
}
