// The temporary lanes project the benchmark runs: two services, both the light end-to-end fixture service.
// `deploy` is what the parallelism measurement deploys lanes of; `api` is what the load goes through.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A bare node:http server answering `{ service, lane, revision, version }`, with /healthz. */
export const LANE_SERVICE = fileURLToPath(new URL('../../test/fixtures/lane-service.mjs', import.meta.url));

/** The service whose lanes the parallelism measurement deploys, and the one under load. */
export const SERVICES = { deploy: 'deploy', api: 'api' };

/**
 * Every replica's command line carries the project folder as an extra argument (the fixture ignores it), so
 * `pgrep -f <dir>` finds this run's replicas and nobody else's, even with other test runs on the machine.
 * @typedef {object} BenchProject
 * @property {string} dir the project folder, also the marker in every replica's command line
 * @property {() => void} remove deletes the folder (state database, logs) for good
 */

/**
 * @param {{ replicas: number }} options replicas per lane of the `api` service
 * @returns {BenchProject}
 */
export function createProject(options) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-lanes-'));
  /** @param {string} pathPrefix @param {number} replicas */
  const service = (pathPrefix, replicas) => ({
    route: { pathPrefix },
    run: { command: [process.execPath, LANE_SERVICE, `--bench-project=${dir}`], env: { VERSION: 'v1' } },
    healthCheck: { path: '/healthz', intervalMs: 200, timeoutMs: 500 },
    replicas,
  });
  const project = {
    project: 'bench-lanes',
    gateway: { port: 0, adminPort: 0 },
    services: {
      [SERVICES.deploy]: service('/deploy', 1),
      [SERVICES.api]: service('/api', options.replicas),
    },
  };
  writeFileSync(path.join(dir, 'lanes.json'), `${JSON.stringify(project, null, 2)}\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
