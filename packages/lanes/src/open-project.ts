import { mkdir } from 'node:fs/promises';
import { loadProject } from './config/load-project.js';
import { LanesError } from './errors.js';
import { type IoHost, silentIoHost } from './io-host.js';
import type { OpsContext } from './ops/context.js';
import { StateStore } from './state/state-store.js';

export interface OpenProjectOptions {
  /** The project folder (with lanes.json). */
  dir: string;
  /** @default 'dev' */
  env?: string;
  /** A project file other than `<dir>/lanes.json`. */
  file?: string;
  io?: IoHost;
}

/** A project ready for operations; close it to release the state database. */
export interface ProjectSession extends OpsContext {
  close(): void;
}

/** Loads and validates the project files, opens (or creates) its state database. */
export async function openProject(options: OpenProjectOptions): Promise<ProjectSession> {
  const project = await loadProject(options.dir, {
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.file !== undefined ? { file: options.file } : {}),
  });
  await mkdir(project.stateDir, { recursive: true });
  const store = StateStore.open(project.stateDir);
  const portRange = portRangeFromEnv(process.env.LANES_PORT_RANGE);
  return {
    project,
    store,
    io: options.io ?? silentIoHost,
    ...(portRange ? { portRange } : {}),
    close: () => store.close(),
  };
}

/** `LANES_PORT_RANGE=21000-21999` moves replica ports (for machines where the default range is taken). */
function portRangeFromEnv(text: string | undefined): [number, number] | undefined {
  if (!text) return undefined;
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN];
  if (!(min >= 1024 && max <= 65535 && min <= max)) {
    throw new LanesError(
      'LANES_USAGE',
      `LANES_PORT_RANGE must look like 21000-21999 (within 1024-65535), got "${text}"`,
      'user',
    );
  }
  return [min, max];
}
