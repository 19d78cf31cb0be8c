import { LanesError } from '../errors.js';
import { procStartTime } from '../local/proc-stat.js';
import { isHolderAlive } from './process-liveness.js';
import type { AllocatePortResult } from './results.js';
import type { StoreContext } from './store-context.js';

/**
 * Reserves the lowest port in [min, max] that no live replica uses and no live process has reserved. The
 * reservation lasts until `releasePort`, until a replica is added on the port (the replica then holds it while
 * starting, running or draining), or until the reserving process dies. The caller still checks that the OS port
 * is free; if it is not, it allocates again (the busy port stays reserved, so it is skipped) and releases it.
 */
export function allocatePort(ctx: StoreContext, min: number, max: number, pid: number): AllocatePortResult {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && min <= max && max <= 65535)) {
    throw new LanesError('LANES_STATE_INVALID_INPUT', `invalid port range ${min}-${max}`, 'system');
  }
  const db = ctx.connection;
  return db.write(() => {
    const reservations = db.all<{
      port: number;
      holder_pid: number;
      holder_hostname: string;
      holder_start_time: number | null;
    }>(
      'SELECT port, holder_pid, holder_hostname, holder_start_time FROM port_reservations WHERE port BETWEEN ? AND ?',
      min,
      max,
    );
    const taken = new Set<number>();
    for (const reservation of reservations) {
      const { holder_pid, holder_hostname, holder_start_time } = reservation;
      if (isHolderAlive(holder_pid, holder_hostname, ctx.hostname, holder_start_time)) {
        taken.add(reservation.port);
      } else {
        db.run('DELETE FROM port_reservations WHERE port = ?', reservation.port);
      }
    }
    const replicaPorts = db.all<{ port: number }>(
      `SELECT port FROM replicas WHERE state IN ('starting', 'running', 'draining') AND port BETWEEN ? AND ?`,
      min,
      max,
    );
    for (const { port } of replicaPorts) taken.add(port);
    for (let port = min; port <= max; port++) {
      if (taken.has(port)) continue;
      db.run(
        `INSERT INTO port_reservations (port, holder_pid, holder_hostname, holder_start_time, reserved_at)
         VALUES (?, ?, ?, ?, ?)`,
        port,
        pid,
        ctx.hostname,
        procStartTime(pid) ?? null,
        ctx.now(),
      );
      return { type: 'allocated', port };
    }
    return { type: 'exhausted', min, max };
  });
}

/** Drops the reservation of `port` (no effect on a replica that uses it). */
export function releasePort(ctx: StoreContext, port: number): void {
  ctx.connection.run('DELETE FROM port_reservations WHERE port = ?', port);
}
