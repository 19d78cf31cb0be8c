// Builds the viewer client with Vite when dist-client is missing or older than its sources, so the browser tests
// and the bench work in a fresh clone. Parallel test files wait on one lock directory instead of building twice.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CLIENT_DIR = path.join(PACKAGE_DIR, 'dist-client');

async function newestSource(): Promise<number> {
  let newest = 0;
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else newest = Math.max(newest, (await stat(full)).mtimeMs);
    }
  };
  await walk(path.join(PACKAGE_DIR, 'client'));
  await walk(path.join(PACKAGE_DIR, 'src/protocol'));
  newest = Math.max(newest, (await stat(path.join(PACKAGE_DIR, 'vite.config.ts'))).mtimeMs);
  return newest;
}

async function isFresh(): Promise<boolean> {
  const built = await stat(path.join(CLIENT_DIR, 'index.html')).catch(() => undefined);
  return built !== undefined && built.mtimeMs >= (await newestSource());
}

export async function ensureClientBuilt(): Promise<string> {
  if (await isFresh()) return CLIENT_DIR;
  const lock = path.join(PACKAGE_DIR, '.dist-client.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Someone else is building; a lock older than two minutes is left over from a killed run.
      const info = await stat(lock).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > 120_000) await rm(lock, { recursive: true, force: true });
      if (attempt > 600) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (!(await isFresh())) {
      const { build } = await import('vite');
      await build({ configFile: path.join(PACKAGE_DIR, 'vite.config.ts'), logLevel: 'error' });
    }
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
  return CLIENT_DIR;
}
