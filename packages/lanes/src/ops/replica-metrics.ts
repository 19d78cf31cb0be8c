import { get } from 'node:http';
import type { StateStore } from '../state/state-store.js';
import type { LaneKey } from '../state/types.js';
import { parsePrometheusText } from './prometheus-text.js';
import { servingReplicas } from './serving-replicas.js';

/** Long enough for a busy replica on a loaded machine, short enough that a hung one does not stall a step. */
export const REPLICA_METRICS_TIMEOUT_MS = 2_000;
/** An exposition larger than this is not a handful of counters: stop reading rather than buffer it. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What one read of a lane's serving replicas found: each replica's counter totals, and who did not answer. */
export interface LaneMetricsSnapshot {
  /** Replica id → metric name → value summed over labels. */
  replicas: Map<number, Map<string, number>>;
  /** One line per replica that did not answer, naming it and the error. */
  failures: string[];
}

/** GETs a replica's metrics text over loopback, with one deadline for the whole answer. */
export function fetchReplicaText(port: number, path: string, timeoutMs = REPLICA_METRICS_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        request.destroy(new Error(`HTTP ${response.statusCode} from ${path}`));
        return;
      }
      let size = 0;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) request.destroy(new Error(`more than ${MAX_BODY_BYTES} bytes from ${path}`));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', reject);
    request.on('close', () => clearTimeout(timer));
  });
}

/** Reads the counters of every serving replica of a lane, in parallel. */
export async function readLaneMetrics(
  store: StateStore,
  key: LaneKey,
  metricsPath: string,
  timeoutMs = REPLICA_METRICS_TIMEOUT_MS,
): Promise<LaneMetricsSnapshot> {
  const snapshot: LaneMetricsSnapshot = { replicas: new Map(), failures: [] };
  const lane = store.getLane(key);
  const replicas = lane ? servingReplicas(store, lane) : [];
  if (replicas.length === 0) snapshot.failures.push(`${key.lane} has no serving replica to read`);
  await Promise.all(
    replicas.map(async (replica) => {
      const who = `${key.lane} replica #${replica.id} (127.0.0.1:${replica.port}${metricsPath})`;
      try {
        snapshot.replicas.set(
          replica.id,
          parsePrometheusText(await fetchReplicaText(replica.port, metricsPath, timeoutMs)).totals,
        );
      } catch (error) {
        snapshot.failures.push(`${who} did not answer: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  return snapshot;
}

/**
 * How much a counter grew between two reads of a lane, summed over the replicas that answered the second read. A
 * counter missing from an answer is 0; a replica that restarted (its counter went down) or joined during the step
 * counts from 0, as Prometheus's increase() does.
 */
export function counterIncrease(before: LaneMetricsSnapshot, after: LaneMetricsSnapshot, name: string): number {
  let total = 0;
  for (const [id, totals] of after.replicas) {
    const now = totals.get(name) ?? 0;
    const then = before.replicas.get(id)?.get(name) ?? 0;
    total += now >= then ? now - then : now;
  }
  return total;
}
