// Where aoi-trace's worker scripts are. Under vitest the modules run from their TypeScript sources, and Node 20 cannot
// start a worker from a .ts file, so the built twin in dist/ is used (run `npx tsc -b` first).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled script `name` (e.g. `encode-worker.js`) of the source folder `folder` (e.g. `format`). */
export function workerScript(folder: string, name: string): URL {
  const beside = new URL(`./${folder}/${name}`, import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL(`../dist/${folder}/${name}`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`aoi-trace: ${folder}/${name} not found beside ${fileURLToPath(import.meta.url)} nor in dist/.`);
}
