import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TraceHeader } from '../model/types.js';
import { recordedEngineSettings } from './engine-settings.js';
import { recordWorld } from './recorder.js';

const headerOf = (world: AoiWorld): TraceHeader => {
  const trace = new MemoryTrace();
  recordWorld(world, trace).close();
  return trace.header;
};

describe('engine settings in the header', () => {
  it('stores the settings the world was made with, and reads them back', () => {
    const header = headerOf(
      new AoiWorld({ algorithm: 'brute-force', mode: 'batched', moveEvents: true, skin: 7, cellSize: 90 }),
    );
    expect(recordedEngineSettings(header)).toEqual({
      algorithm: { type: 'recorded', value: 'brute-force' },
      mode: { type: 'recorded', value: 'batched' },
      moveEvents: { type: 'recorded', value: true },
      skin: { type: 'recorded', value: 7 },
      cellSize: { type: 'recorded', value: 90 },
    });
  });

  it("says 'default' for a skin and cell size left to the engine", () => {
    const settings = recordedEngineSettings(headerOf(new AoiWorld()));
    expect(settings.mode).toEqual({ type: 'recorded', value: 'immediate' });
    expect(settings.skin).toEqual({ type: 'default' });
    expect(settings.cellSize).toEqual({ type: 'default' });
  });

  it("says 'unknown' for what an older trace (or another server's) does not hold", () => {
    const header: TraceHeader = {
      source: 'my-go-server',
      startTime: 0,
      regionSize: 64,
      quantum: 1 / 1024,
      epsilon: 0,
      tagNames: [],
      attributes: { 'aoi.cellSize': '80' },
    };
    const settings = recordedEngineSettings(header);
    expect(settings.cellSize).toEqual({ type: 'recorded', value: 80 });
    for (const key of ['algorithm', 'mode', 'moveEvents', 'skin'] as const) {
      expect(settings[key], key).toEqual({ type: 'unknown' });
    }
  });
});
