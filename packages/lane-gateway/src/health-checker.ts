import type { HealthCheckConfig } from './config-types.js';
import type { Replica } from './replica.js';
import type { CheckedReplica } from './routing-table.js';

interface Probe {
  replica: Replica;
  check: HealthCheckConfig;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

/** Active health checks: a GET of each replica's health path on an interval; 2xx and 3xx pass. */
export class HealthChecker {
  private readonly probes = new Map<Replica, Probe>();

  /** Starts probes for new replicas (checked at once), retunes kept ones, stops those no longer listed. */
  update(checked: readonly CheckedReplica[]): void {
    const keep = new Set<Replica>();
    for (const { replica, check } of checked) {
      keep.add(replica);
      const probe = this.probes.get(replica);
      if (probe) {
        probe.check = check;
        continue;
      }
      const fresh: Probe = { replica, check, timer: undefined, stopped: false };
      this.probes.set(replica, fresh);
      void this.run(fresh);
    }
    for (const [replica, probe] of this.probes) {
      if (keep.has(replica)) continue;
      this.stopProbe(probe);
      this.probes.delete(replica);
    }
  }

  /**
   * Checks at once every replica that takes no traffic now (unhealthy or passively ejected), and resolves when
   * those checks are recorded. A reload calls it: whoever changed the config (the local platform after replacing a
   * crashed replica on the same address) knows the new requests follow what the replicas are now.
   */
  async recheckUnusable(): Promise<void> {
    const now = Date.now();
    const stale = [...this.probes.values()].filter((probe) => !probe.replica.usable(now));
    await Promise.all(
      stale.map(async (probe) => {
        const { passed, reason } = await probeOnce(probe.replica, probe.check);
        if (probe.stopped) return;
        probe.replica.recordCheck(passed, reason, probe.check.healthyThreshold, probe.check.unhealthyThreshold);
      }),
    );
  }

  stop(): void {
    for (const probe of this.probes.values()) this.stopProbe(probe);
    this.probes.clear();
  }

  private stopProbe(probe: Probe): void {
    probe.stopped = true;
    if (probe.timer) clearTimeout(probe.timer);
  }

  private async run(probe: Probe): Promise<void> {
    const { replica, check } = probe;
    const { passed, reason } = await probeOnce(replica, check);
    if (probe.stopped) return;
    replica.recordCheck(passed, reason, check.healthyThreshold, check.unhealthyThreshold);
    probe.timer = setTimeout(() => void this.run(probe), check.intervalMs);
    probe.timer.unref();
  }
}

async function probeOnce(replica: Replica, check: HealthCheckConfig): Promise<{ passed: boolean; reason: string }> {
  try {
    const response = await replica.pool.request({
      path: check.path,
      method: 'GET',
      headersTimeout: check.timeoutMs,
      bodyTimeout: check.timeoutMs,
      signal: AbortSignal.timeout(check.timeoutMs),
    });
    await response.body.dump();
    const passed = response.statusCode >= 200 && response.statusCode < 400;
    return { passed, reason: `GET ${check.path} answered ${response.statusCode}` };
  } catch (error) {
    return { passed: false, reason: `GET ${check.path} failed: ${describeError(error)}` };
  }
}

/** A short reason for logs and error bodies: the error code when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
