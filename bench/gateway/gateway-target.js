// Runs our gateway through its CLI, exactly as a user would: `lanes gateway --config <file> --json`.
// The gateway may not be built yet; that is an expected outcome (skipped), not a harness failure.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { captureTail, spawnTracked, stopChild } from './children.js';
import { gatewayConfig } from './gateway-config.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliBin = path.join(repoRoot, 'packages/lanes-cli/bin/lanes.js');
const cliBuilt = path.join(repoRoot, 'packages/lanes-cli/dist/main.js');
const START_TIMEOUT_MS = 10_000;

/**
 * @param {number} workers 1 = the CLI's default (no --workers flag)
 * @param {{ default: string, gray: string }} upstreamUrls
 * @param {Record<string, unknown>} [settings] config fields of a variant (gateway-variants.js)
 * @returns {Promise<import('./targets.js').StartOutcome>}
 */
export async function startGateway(workers, upstreamUrls, settings = {}) {
  if (!existsSync(cliBuilt)) {
    return { type: 'skipped', reason: 'gateway not built (packages/lanes-cli/dist/main.js is missing)' };
  }
  const dir = makeTempDir('bench-gateway-');
  const configPath = path.join(dir, 'gateway.json');
  await writeFile(configPath, `${JSON.stringify(gatewayConfig(upstreamUrls, settings), null, 2)}\n`);
  const args = [cliBin, 'gateway', '--config', configPath, '--json'];
  if (workers > 1) args.push('--workers', String(workers));
  const child = spawnTracked(process.execPath, args, { cwd: repoRoot });
  const stderr = captureTail(child.stderr);
  const cleanup = async () => {
    await stopChild(child);
    removeTempDir(dir);
  };
  try {
    const url = await listeningUrl(child);
    // With workers, or with the nginx engine, the proxying happens in other processes, whose CPU time this pid
    // does not include.
    const pid = workers === 1 && settings.engine !== 'nginx' ? child.pid : undefined;
    // The nginx engine: this process (idle while serving), the nginx master and its workers, summed.
    const treePid = settings.engine === 'nginx' ? child.pid : undefined;
    return {
      type: 'running',
      url: `${url.replace(/\/$/, '')}/`,
      stop: cleanup,
      ...(pid ? { pid } : {}),
      ...(treePid ? { treePid } : {}),
    };
  } catch (error) {
    await cleanup();
    const detail = `${error instanceof Error ? error.message : error}; stderr: ${stderr().trim().slice(-600)}`;
    return { type: 'skipped', reason: `gateway not built or failed to start: ${detail}` };
  }
}

/**
 * The first stdout line with `"event":"listening"` gives the URL. Later lines are read and dropped, so the
 * pipe never fills up and stalls the gateway during the load run.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<string>}
 */
function listeningUrl(child) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) });
    const timer = setTimeout(
      () => reject(new Error(`no "listening" event within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      /** @type {any} */
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event?.event === 'listening' && typeof event.url === 'string') {
        clearTimeout(timer);
        resolve(event.url);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (code ${code}, signal ${signal}) before "listening"`));
    });
  });
}
