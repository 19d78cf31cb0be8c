// The engine settings a recorder stores in the header's attributes, so a replay can run the recording again under
// the same ones (docs/aoitrace-format.md, "Header attributes").

import type { AoiWorld } from '@lanes/aoi';
import type { TraceHeader } from '../model/types.js';

/** Header attributes naming the engine's settings. `aoi.cellSize` predates the others (the viewer reads it). */
export const ENGINE_ATTRIBUTES = {
  algorithm: 'aoi.algorithm',
  mode: 'aoi.mode',
  moveEvents: 'aoi.moveEvents',
  skin: 'aoi.skin',
  cellSize: 'aoi.cellSize',
} as const;

/** Value of `aoi.skin` / `aoi.cellSize`-less traces meaning "the engine's default was in use". */
const DEFAULT = 'default';

/** The settings attributes of `world`, as the recorder writes them. */
export function engineSettingsAttributes(world: AoiWorld): Record<string, string> {
  const cellSize = world.cellSize;
  return {
    [ENGINE_ATTRIBUTES.algorithm]: world.algorithm,
    [ENGINE_ATTRIBUTES.mode]: world.mode,
    [ENGINE_ATTRIBUTES.moveEvents]: String(world.moveEvents),
    [ENGINE_ATTRIBUTES.skin]: world.skin === undefined ? DEFAULT : String(world.skin),
    // The engine's cell edge, when known, so a viewer can count entities per cell as the engine does.
    ...(cellSize === undefined ? {} : { [ENGINE_ATTRIBUTES.cellSize]: String(cellSize) }),
  };
}

/** One engine setting as a header tells it: a value, the engine's default, or not recorded (older traces, NDJSON). */
export type RecordedSetting<T> =
  | { readonly type: 'recorded'; readonly value: T }
  | { readonly type: 'default' }
  | { readonly type: 'unknown' };

export interface RecordedEngineSettings {
  readonly algorithm: RecordedSetting<'grid' | 'brute-force'>;
  readonly mode: RecordedSetting<'immediate' | 'batched'>;
  readonly moveEvents: RecordedSetting<boolean>;
  readonly skin: RecordedSetting<number>;
  readonly cellSize: RecordedSetting<number>;
}

const unknown = { type: 'unknown' } as const;

/**
 * Reads the settings back. A trace written before the recorder stored them (no `aoi.mode`), or by another server,
 * says `unknown` for each one it lacks; in a newer one an absent cell size is the engine's default.
 */
export function recordedEngineSettings(header: TraceHeader): RecordedEngineSettings {
  const get = (key: string) => header.attributes[key];
  const modern = get(ENGINE_ATTRIBUTES.mode) !== undefined;
  const choice = <T extends string>(key: string, values: readonly T[]): RecordedSetting<T> => {
    const value = get(key);
    return values.includes(value as T) ? { type: 'recorded', value: value as T } : unknown;
  };
  const number = (key: string): RecordedSetting<number> => {
    const value = get(key);
    if (value === undefined) return modern ? { type: 'default' } : unknown;
    if (value === DEFAULT) return { type: 'default' };
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) && n >= 0 ? { type: 'recorded', value: n } : unknown;
  };
  const moveEvents = get(ENGINE_ATTRIBUTES.moveEvents);
  return {
    algorithm: choice(ENGINE_ATTRIBUTES.algorithm, ['grid', 'brute-force'] as const),
    mode: choice(ENGINE_ATTRIBUTES.mode, ['immediate', 'batched'] as const),
    moveEvents:
      moveEvents === 'true' || moveEvents === 'false' ? { type: 'recorded', value: moveEvents === 'true' } : unknown,
    skin: number(ENGINE_ATTRIBUTES.skin),
    cellSize: number(ENGINE_ATTRIBUTES.cellSize),
  };
}

/** Header attribute naming the engine's cell edge (see docs/aoitrace-format.md, "Header attributes"). */
export const CELL_SIZE_ATTRIBUTE = ENGINE_ATTRIBUTES.cellSize;
