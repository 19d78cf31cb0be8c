import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAdminToken } from '@lanes/gateway';
import { request } from 'undici';
import { isProcessAlive } from '../local/process-liveness.js';
import type { Project } from '../model.js';

/** Where the running platform (`lanes up`) says it is; written by the supervisor, read by every other command. */
export interface PlatformInfo {
  pid: number;
  url: string;
  adminUrl: string;
  startedAt: number;
}

function platformFile(project: Project): string {
  return join(project.stateDir, 'platform.json');
}

export async function writePlatformInfo(project: Project, info: PlatformInfo): Promise<void> {
  await writeFile(platformFile(project), `${JSON.stringify(info, null, 2)}\n`);
}

export async function clearPlatformInfo(project: Project): Promise<void> {
  await rm(platformFile(project), { force: true });
}

/** The running platform, or undefined when `lanes up` is not running (no file, or its process is gone). */
export async function readPlatformInfo(project: Project): Promise<PlatformInfo | undefined> {
  let info: PlatformInfo;
  try {
    info = JSON.parse(await readFile(platformFile(project), 'utf8')) as PlatformInfo;
  } catch {
    return undefined;
  }
  return isProcessAlive(info.pid) ? info : undefined;
}

/**
 * Makes the running gateway re-read its config now (the file watch would too, a moment later). A mutating admin
 * request: it carries the bearer token from `tokenFile` and a JSON content type. `pending`: the nginx engine is
 * being restarted and took the file, to apply once nginx is back (202).
 */
export async function reloadGateway(
  info: PlatformInfo,
  tokenFile: string,
): Promise<{ ok: boolean; pending?: boolean; message: string }> {
  try {
    const token = await readAdminToken(tokenFile);
    const response = await request(`${info.adminUrl}/admin/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
      headersTimeout: 5000,
    });
    const text = await response.body.text();
    if (response.statusCode === 202) return { ok: true, pending: true, message: text.trim() };
    return { ok: response.statusCode === 200, message: text.trim() };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** GETs a JSON or text document from the gateway's admin API; undefined when it does not answer. */
export async function adminGet(info: PlatformInfo, path: string): Promise<string | undefined> {
  try {
    const response = await request(`${info.adminUrl}${path}`, { headersTimeout: 3000, bodyTimeout: 3000 });
    const text = await response.body.text();
    return response.statusCode === 200 ? text : undefined;
  } catch {
    return undefined;
  }
}
