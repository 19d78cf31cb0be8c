import type { ReplicaHealthReport } from './admin-server.js';
import type { GatewayConfig } from './config-types.js';
import type { GatewayEvent, ReloadSource } from './events.js';
import type { LeakCount } from './leaks/leak-tracker.js';
import type { LaneStatsSnapshot } from './metrics.js';

/** Messages from the primary to a worker process. */
export type PrimaryMessage =
  | { type: 'lanes-config'; config: GatewayConfig; source: ReloadSource }
  | { type: 'lanes-metrics'; id: number }
  | { type: 'lanes-health'; id: number }
  | { type: 'lanes-leaks'; id: number }
  | { type: 'lanes-stop' };

/** Messages from a worker to the primary. */
export type WorkerMessage =
  /** The worker listens for messages now (any sent before are lost): the primary answers with the config. */
  | { type: 'lanes-waiting' }
  | { type: 'lanes-ready'; url: string }
  | { type: 'lanes-failed'; message: string }
  | { type: 'lanes-metrics'; id: number; stats: LaneStatsSnapshot[] }
  | { type: 'lanes-health'; id: number; report: ReplicaHealthReport[] }
  | { type: 'lanes-leaks'; id: number; leaks: LeakCount[] }
  | { type: 'lanes-event'; event: GatewayEvent };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && String((value as { type?: unknown }).type).startsWith('lanes-');
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return isWorkerMessage(value);
}
