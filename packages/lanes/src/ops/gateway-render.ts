import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { admissionSettings } from '../config/read-admission.js';
import type { Project } from '../model.js';
import type { StateStore } from '../state/state-store.js';
import { isOutOfRotation } from './crash-loop.js';
import { servingReplicas } from './serving-replicas.js';

/** The gateway's config file inside the state folder: derived from the database, never edited by hand. */
export function gatewayConfigFile(project: Project): string {
  return join(project.stateDir, 'gateway.json');
}

/**
 * The bearer token for the gateway's mutating admin endpoints: created by the gateway at `lanes up` (mode 0600),
 * read by every command that reloads it. Only its path is ever passed around, never the token.
 */
export function adminTokenFile(project: Project): string {
  return join(project.stateDir, 'admin-token');
}

/**
 * The gateway configuration for the current state: per service, every lane that has replicas serving its
 * current revision (a lane still on its first deploy is left out, so its tag falls back to `default`).
 */
export function renderGatewayConfig(project: Project, store: StateStore): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const service of Object.values(project.services)) {
    const lanes: Record<string, { replicas: string[]; weight: number }> = {};
    for (const lane of store.listLanes({ env: project.env, service: service.name })) {
      if (lane.currentRevision === undefined || lane.status === 'deleting') continue;
      // A crash-looping lane is out of rotation: listed without replicas, so its tagged requests follow whenLaneDown
      // (fallback to default, or 503 with reject), and without weight, so no untagged request is sent its way.
      if (lane.lane !== 'default' && isOutOfRotation(project, lane)) {
        lanes[lane.lane] = { replicas: [], weight: 0 };
        continue;
      }
      const serving = servingReplicas(store, lane).map((replica) => `http://127.0.0.1:${replica.port}`);
      if (serving.length === 0 && lane.lane !== 'default') continue;
      lanes[lane.lane] = { replicas: serving, weight: lane.weight };
    }
    lanes.default ??= { replicas: [], weight: 100 };
    if (!Object.values(lanes).some((lane) => lane.weight > 0)) lanes.default.weight = 100;
    services[service.name] = {
      match: { pathPrefix: service.route.pathPrefix, hosts: service.route.hosts },
      whenLaneDown: service.whenLaneDown,
      healthCheck: {
        path: service.healthCheck.path,
        intervalMs: service.healthCheck.intervalMs,
        timeoutMs: service.healthCheck.timeoutMs,
        healthyThreshold: service.healthCheck.healthyThreshold,
        unhealthyThreshold: service.healthCheck.unhealthyThreshold,
      },
      passiveHealth: { ...service.passiveHealth },
      lanes,
    };
  }
  const admission = admissionSettings(project);
  // Signed lane tokens are checked by the Node engine only; nginx refuses a config that names them.
  const nginx = project.gateway.engine === 'nginx';
  const tokens = { keyFile: admission.tokens.keyFile, maxTtlMs: admission.tokens.maxTtlMs };
  return {
    ...(nginx ? { engine: 'nginx' } : {}),
    listen: { host: project.gateway.host, port: project.gateway.port },
    admin: { host: '127.0.0.1', port: project.gateway.adminPort, tokenFile: adminTokenFile(project) },
    carriers: project.gateway.carriers,
    ...(project.gateway.leaks ? { leaks: project.gateway.leaks } : {}),
    ...(project.gateway.traceContext ? { traceContext: project.gateway.traceContext } : {}),
    ...(project.gateway.nginx ? { nginx: project.gateway.nginx } : {}),
    admission: {
      trusted: admission.trusted,
      trustedHops: admission.trustedHops,
      ...(nginx ? {} : { tokens }),
      openLanes: admission.openLanes,
    },
    services,
  };
}

let tempCounter = 0;

/**
 * Writes the gateway config atomically (temp file, then rename), so the gateway never reads half a file. Render and
 * rename happen inside one database write transaction: concurrent commands (in this process or others) write in
 * the order their state was committed, so an older picture can never replace a newer one.
 */
export function writeGatewayConfig(
  project: Project,
  store: StateStore,
): { file: string; config: Record<string, unknown> } {
  const file = gatewayConfigFile(project);
  const config = store.transaction(() => {
    const rendered = renderGatewayConfig(project, store);
    const temp = `${file}.${process.pid}.${tempCounter++}.tmp`;
    writeFileSync(temp, `${JSON.stringify(rendered, null, 2)}\n`);
    renameSync(temp, file);
    return rendered;
  });
  return { file, config };
}
