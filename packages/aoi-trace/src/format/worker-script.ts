// Where a writer's worker scripts are. Under vitest the format modules run from their TypeScript sources, and Node 20
// cannot start a worker from a .ts file, so the built twin in dist/ is used (run `npx tsc -b` first).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled script `name` (e.g. `encode-worker.js`) of this folder. */
export function workerScript(name: string): URL {
  const beside = new URL(`./${name}`, import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL(`../../dist/format/${name}`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`aoi-trace: ${name} not found next to ${fileURLToPath(import.meta.url)} nor in dist/.`);
}
