import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { recordWorld } from '../record/recorder.js';
import { replayRadii, resolveReplaySettings } from './settings.js';

const headerOf = (world: AoiWorld) => {
  const trace = new MemoryTrace();
  recordWorld(world, trace).close();
  return trace.header;
};

describe('replay settings', () => {
  it('takes what was recorded, overrides on top, and says where each came from', () => {
    const header = headerOf(new AoiWorld({ mode: 'batched', algorithm: 'brute-force', skin: 4 }));
    const settings = resolveReplaySettings(header, { cellSize: 50 });
    expect(settings).toMatchObject({ algorithm: 'brute-force', skin: 4, cellSize: 50, moveEvents: false, notes: [] });
    expect(settings.sources).toEqual({
      algorithm: 'recorded',
      cellSize: 'override',
      skin: 'recorded',
      moveEvents: 'recorded',
      mode: 'recorded',
      radii: 'recorded',
    });
  });

  it('says that an immediate-mode recording is replayed batched', () => {
    const settings = resolveReplaySettings(headerOf(new AoiWorld({ mode: 'immediate' })));
    expect(settings.notes.join()).toMatch(/immediate mode: the replay runs batched/);
  });

  it('refuses contradictory or impossible overrides, naming them', () => {
    const header = headerOf(new AoiWorld());
    expect(() => resolveReplaySettings(header, { leaveRadius: 70, hysteresis: 0.1 })).toThrow(/give one/);
    expect(() => resolveReplaySettings(header, { viewRadius: 80, leaveRadius: 70 })).toThrow(/>= viewRadius/);
    expect(() => resolveReplaySettings(header, { cellSize: 0 })).toThrow(/cellSize must be a finite number > 0/);
    expect(() => resolveReplaySettings(header, { hysteresis: -1 })).toThrow(/hysteresis/);
    expect(() => resolveReplaySettings(header, { algorithm: 'quadtree' as never })).toThrow(/grid or brute-force/);
  });

  it('replaces radii as documented: a view alone keeps the band as a ratio', () => {
    expect(replayRadii({}, 60, 70)).toEqual({ view: 60, leave: 70 });
    expect(replayRadii({ viewRadius: 120 }, 60, 70)).toEqual({ view: 120, leave: 140 });
    expect(replayRadii({ viewRadius: 120 }, 0, 0)).toEqual({ view: 120, leave: 120 });
    expect(replayRadii({ hysteresis: 0.25 }, 60, 70)).toEqual({ view: 60, leave: 75 });
    expect(replayRadii({ viewRadius: 80, hysteresis: 0.5 }, 60, 70)).toEqual({ view: 80, leave: 120 });
    expect(replayRadii({ leaveRadius: 65 }, 60, 70)).toEqual({ view: 60, leave: 65 });
    expect(replayRadii({ leaveRadius: 50 }, 60, 70)).toEqual({ view: 60, leave: 60 });
  });
});
