// Temp dirs for nginx and gateway configs, registered so an interrupted run (SIGINT, crash) still removes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** @type {Set<string>} */
const live = new Set();

/** @param {string} prefix e.g. 'bench-nginx-' */
export function makeTempDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  live.add(dir);
  return dir;
}

/** @param {string} dir */
export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Synchronous, so it also works from a process 'exit' handler. */
export function removeAllTempDirs() {
  for (const dir of live) removeTempDir(dir);
}
