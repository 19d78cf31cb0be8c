import { Pool } from 'undici';
import type { PassiveHealthConfig, TimeoutsConfig } from './config-types.js';

/** `unknown` until the first health check answers; such a replica only gets traffic when no healthy one exists. */
export type ReplicaState = 'unknown' | 'healthy' | 'unhealthy';

export type HealthChange = (replica: Replica, healthy: boolean, via: 'check' | 'passive', reason: string) => void;

/** One upstream process: its keep-alive connection pool and what we know of its health. */
export class Replica {
  readonly url: string;
  readonly pool: Pool;
  state: ReplicaState = 'unknown';
  /** Passive detection: the replica is skipped until this time (ms since epoch). */
  ejectedUntil = 0;
  private consecutiveFailures = 0;
  private checkStreak = 0;

  constructor(
    url: string,
    timeouts: TimeoutsConfig,
    private passive: PassiveHealthConfig,
    private readonly onChange: HealthChange,
  ) {
    this.url = url;
    this.pool = new Pool(url, {
      connect: { timeout: timeouts.upstreamConnectMs },
      headersTimeout: timeouts.upstreamHeadersMs,
      bodyTimeout: timeouts.upstreamBodyMs,
      keepAliveTimeout: 4_000,
    });
  }

  /** Takes new passive-health settings on reload; the pool and the health state stay. */
  configure(passive: PassiveHealthConfig): void {
    this.passive = passive;
  }

  /** Whether new requests may go here, and whether that is on trust (`unknown`) rather than a passed check. */
  usable(now: number): boolean {
    return this.state !== 'unhealthy' && this.ejectedUntil <= now;
  }

  /** A proxied exchange completed: the replica answers. */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
  }

  /** A proxied exchange failed at the connection level (refused, reset, timed out). */
  recordFailure(reason: string): void {
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures < this.passive.consecutiveFailures) return;
    this.consecutiveFailures = 0;
    const wasEjected = this.ejectedUntil > Date.now();
    this.ejectedUntil = Date.now() + this.passive.ejectMs;
    if (!wasEjected) this.onChange(this, false, 'passive', reason);
  }

  /** One active health check result; thresholds decide when the state flips. */
  recordCheck(passed: boolean, reason: string, healthyThreshold: number, unhealthyThreshold: number): void {
    if (passed) {
      // A passing check is first-hand proof the address answers again (typically a replacement process on the same
      // port): a passive ejection from the connection failures before it must not keep it out of rotation.
      if (this.state === 'healthy' && this.ejectedUntil > Date.now()) {
        this.ejectedUntil = 0;
        this.consecutiveFailures = 0;
        this.onChange(this, true, 'check', reason);
      }
      this.checkStreak = this.checkStreak > 0 ? this.checkStreak + 1 : 1;
      // A fresh replica is trusted on its first pass; a failed one must prove itself `healthyThreshold` times.
      const needed = this.state === 'unknown' ? 1 : healthyThreshold;
      if (this.state !== 'healthy' && this.checkStreak >= needed) {
        this.state = 'healthy';
        this.ejectedUntil = 0;
        this.consecutiveFailures = 0;
        this.onChange(this, true, 'check', reason);
      }
    } else {
      this.checkStreak = this.checkStreak < 0 ? this.checkStreak - 1 : -1;
      const needed = this.state === 'unknown' ? 1 : unhealthyThreshold;
      if (this.state !== 'unhealthy' && -this.checkStreak >= needed) {
        this.state = 'unhealthy';
        this.onChange(this, false, 'check', reason);
      }
    }
  }

  /** Lets in-flight requests finish, then closes the connections. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
