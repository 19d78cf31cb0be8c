// What a replay runs the engine with: the recorded settings, with the caller's overrides on top.

import type { AlgorithmName, WorldOptions } from '@lanes/aoi';
import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceHeader } from '../model/types.js';
import { type RecordedSetting, recordedEngineSettings } from '../record/engine-settings.js';

/** Settings to change; anything left out is taken from the recording. */
export interface ReplayOverrides {
  /** Every entity's view radius (spawns and radius changes alike). */
  readonly viewRadius?: number;
  /** Every entity's leave radius (>= its view radius). Not with `hysteresis`. */
  readonly leaveRadius?: number;
  /** Every entity's leave radius as `view * (1 + hysteresis)`: 0.25 is a 25% band. Not with `leaveRadius`. */
  readonly hysteresis?: number;
  /** The grid's cell edge. */
  readonly cellSize?: number;
  /** The grid's skin. */
  readonly skin?: number;
  readonly algorithm?: AlgorithmName;
}

/** Where a setting of the replay came from. */
export type SettingSource = 'override' | 'recorded' | 'default' | 'unknown';

export interface ResolvedReplaySettings {
  readonly algorithm: AlgorithmName;
  /** A number, or 'default' for the engine's own choice. */
  readonly cellSize: number | 'default';
  readonly skin: number | 'default';
  readonly moveEvents: boolean;
  /** The radius rule: which radii are replaced (none: the recorded ones). */
  readonly radii: Pick<ReplayOverrides, 'viewRadius' | 'leaveRadius' | 'hysteresis'>;
  /** Per setting: overridden, as recorded, the engine's default as recorded, or unknown (the default was used). */
  readonly sources: Readonly<
    Record<'algorithm' | 'cellSize' | 'skin' | 'moveEvents' | 'mode' | 'radii', SettingSource>
  >;
  /** What may keep the replay from reproducing the recording with unchanged settings. */
  readonly notes: readonly string[];
}

const bad = (key: string, message: string) =>
  new TraceError(TraceErrorCode.InvalidArgument, `${key} ${message}`, { path: `$.${key}` });

function checkNumber(overrides: ReplayOverrides, key: keyof ReplayOverrides, positive: boolean): void {
  const value = overrides[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw bad(key, `must be a finite number ${positive ? '> 0' : '>= 0'} (got ${String(value)}).`);
  }
}

/** Checks the overrides; a bad one throws INVALID_ARGUMENT naming it. */
export function checkOverrides(overrides: ReplayOverrides): void {
  for (const key of ['viewRadius', 'leaveRadius', 'hysteresis', 'skin'] as const) checkNumber(overrides, key, false);
  checkNumber(overrides, 'cellSize', true);
  if (overrides.leaveRadius !== undefined && overrides.hysteresis !== undefined) {
    throw bad('hysteresis', 'and leaveRadius are two ways to set the leave radius: give one.');
  }
  const { viewRadius, leaveRadius, algorithm } = overrides;
  if (viewRadius !== undefined && leaveRadius !== undefined && leaveRadius < viewRadius) {
    throw bad('leaveRadius', `must be >= viewRadius (${leaveRadius} < ${viewRadius}).`);
  }
  if (algorithm !== undefined && algorithm !== 'grid' && algorithm !== 'brute-force') {
    throw bad('algorithm', `must be grid or brute-force (got ${String(algorithm)}).`);
  }
}

/** The recorded settings of `header` under `overrides`. */
export function resolveReplaySettings(header: TraceHeader, overrides: ReplayOverrides = {}): ResolvedReplaySettings {
  checkOverrides(overrides);
  const recorded = recordedEngineSettings(header);
  const pick = <T>(override: T | undefined, setting: RecordedSetting<T>, fallback: T | 'default') =>
    override !== undefined
      ? { value: override, source: 'override' as const }
      : setting.type === 'recorded'
        ? { value: setting.value, source: 'recorded' as const }
        : { value: fallback, source: setting.type };
  const algorithm = pick(overrides.algorithm, recorded.algorithm, 'grid' as const);
  const cellSize = pick(overrides.cellSize, recorded.cellSize, 'default');
  const skin = pick(overrides.skin, recorded.skin, 'default');
  const moveEvents = pick(undefined, recorded.moveEvents, false);
  const notes: string[] = [];
  if (recorded.mode.type === 'recorded' && recorded.mode.value === 'immediate') {
    notes.push(
      'recorded in immediate mode: the replay runs batched, so a tick gives the net events of its changes, not those of each call',
    );
  }
  if (recorded.mode.type === 'unknown') notes.push('engine mode not recorded: replayed in batched mode');
  if (recorded.moveEvents.type === 'unknown') notes.push('moveEvents not recorded: replayed without move events');
  const radii = {
    ...(overrides.viewRadius === undefined ? {} : { viewRadius: overrides.viewRadius }),
    ...(overrides.leaveRadius === undefined ? {} : { leaveRadius: overrides.leaveRadius }),
    ...(overrides.hysteresis === undefined ? {} : { hysteresis: overrides.hysteresis }),
  };
  return {
    algorithm: algorithm.value as AlgorithmName,
    cellSize: cellSize.value,
    skin: skin.value,
    moveEvents: moveEvents.value === true,
    radii,
    sources: {
      algorithm: algorithm.source,
      cellSize: cellSize.source,
      skin: skin.source,
      moveEvents: moveEvents.source,
      mode: recorded.mode.type === 'unknown' ? 'unknown' : 'recorded',
      radii: Object.keys(radii).length > 0 ? 'override' : 'recorded',
    },
    notes,
  };
}

/** The engine options of a replay: always batched (a tick's recorded changes are applied, then one update). */
export function worldOptionsOf(settings: ResolvedReplaySettings): WorldOptions {
  return {
    mode: 'batched',
    algorithm: settings.algorithm,
    moveEvents: settings.moveEvents,
    ...(settings.cellSize === 'default' ? {} : { cellSize: settings.cellSize }),
    ...(settings.skin === 'default' ? {} : { skin: settings.skin }),
  };
}

/**
 * An entity's radii in the replay from its recorded ones. A view override keeps the recorded band as a ratio
 * (60/70 under view 80 is 80/93.33) unless the leave radius or hysteresis is given too.
 */
export function replayRadii(
  rule: ResolvedReplaySettings['radii'],
  view: number,
  leave: number,
): { view: number; leave: number } {
  const newView = rule.viewRadius ?? view;
  if (rule.leaveRadius !== undefined) return { view: newView, leave: Math.max(rule.leaveRadius, newView) };
  if (rule.hysteresis !== undefined) return { view: newView, leave: newView * (1 + rule.hysteresis) };
  if (rule.viewRadius === undefined) return { view, leave };
  return { view: newView, leave: view > 0 ? newView * (leave / view) : newView };
}
