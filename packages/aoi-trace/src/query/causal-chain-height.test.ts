import { AoiWorld } from '@lanes/aoi';
import { describe, expect, it } from 'vitest';
import { emptyEvents, pushEvent } from '../model/columns.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TickRecord } from '../model/types.js';
import { recordWorld } from '../record/recorder.js';
import { causalChain } from './causal-chain.js';

/**
 * a (1) on the ground floor; b (2) 5 units away on the same floor climbs 2 units a tick without moving horizontally,
 * up to z 8, then comes back down to 4. Half-heights 4 (view) and 6 (leave): b leaves a's view at z 8 (|dz| 8 > 6),
 * enters again at z 4. c (3) is stacked above a, one storey up (z 10): never in view.
 */
function climb(): MemoryTrace {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let time = 0;
  const recorder = recordWorld(world, trace, { now: () => (time += 100) });
  const floor = { viewRadius: 20, leaveRadius: 24, viewHeight: 4, leaveHeight: 6 };
  world.add(1, { x: 0, y: 0, z: 0, ...floor });
  world.add(2, { x: 5, y: 0, z: 0, ...floor });
  world.add(3, { x: 0, y: 0, z: 10, ...floor });
  recorder.tick();
  for (const z of [2, 4, 6, 8, 6, 4]) {
    recorder.beginMessage('fly', { entity: 2 });
    world.move(2, 5, 0, z);
    recorder.endMessage();
    recorder.tick();
  }
  recorder.close();
  return trace;
}

/** The id of the event (kind, watcher, target) in the trace, first one after tick `from`. */
function eventId(trace: MemoryTrace, kind: number, watcher: number, target: number, from = 0): number {
  for (const r of trace.records) {
    if (r.tick < from) continue;
    for (let i = 0; i < r.events.count; i++) {
      if (r.events.kinds[i] === kind && r.events.watchers[i] === watcher && r.events.targets[i] === target) {
        return r.eventBase + i;
      }
    }
  }
  throw new Error(`no event ${kind} ${watcher} -> ${target}`);
}

describe('causalChain on a trace with height', () => {
  it('explains an exit by the vertical gap: z of both, |dz| before and after, the half-heights', () => {
    const trace = climb();
    const chain = causalChain(trace, eventId(trace, 1, 1, 2));
    expect(chain.event).toMatchObject({ kind: 'exit', tick: 4 });
    expect(chain.geometry.distanceAfter).toBe(5);
    expect(chain.geometry.vertical).toEqual({
      watcherZBefore: 0,
      watcherZAfter: 0,
      targetZBefore: 6,
      targetZAfter: 8,
      gapBefore: 6,
      gapAfter: 8,
      viewHeight: 4,
      leaveHeight: 6,
      zone: 'beyond-leave-height',
    });
    expect(chain.changes.map((c) => `${c.role} ${c.entity} ${c.change}`)).toContain('target 2 vertical-move');
    expect(chain.steps).toContain(
      'vertical gap |dz| 8 (was 6) (watcher z 0, target z 8); watcher 1 view half-height 4, leave half-height 6: beyond the leave half-height: out of vertical reach',
    );
    expect(chain.steps).toContainEqual(expect.stringMatching(/-> target 2: vertical-move to z 8$/));
    // The vertical rule explains it: no "unexpected" note although the distance is within the leave radius.
    expect(chain.steps.at(-1)).toBe(`=> exit #${chain.event.id}: watcher 1, target 2`);
  });

  it('explains the enter on the way down (the gap back within the view half-height)', () => {
    const trace = climb();
    const enter = causalChain(trace, eventId(trace, 0, 1, 2, 2));
    expect(enter.event.tick).toBe(6);
    expect(enter.geometry.vertical).toMatchObject({ gapBefore: 6, gapAfter: 4, zone: 'within-view-height' });
    expect(enter.steps.join('\n')).toContain('within the view half-height: in vertical reach');
    const json = JSON.parse(JSON.stringify(enter));
    expect(json.geometry.vertical).toMatchObject({ targetZAfter: 4, viewHeight: 4, leaveHeight: 6 });
  });

  it('flags an enter across storeys as unexpected, naming the vertical gap', () => {
    const trace = climb();
    // A buggy engine: c (one storey up, stacked on a) enters a's view at tick 1.
    const records = trace.records.map((record): TickRecord => {
      if (record.tick !== 1) return record;
      const events = emptyEvents(record.events.count + 1);
      for (let i = 0; i < record.events.count; i++) {
        pushEvent(events, record.events.kinds[i]!, record.events.watchers[i]!, record.events.targets[i]!);
      }
      pushEvent(events, 0, 1, 3);
      return { ...record, events };
    });
    const later = trace.records.filter((r) => r.tick > 1).map((r) => ({ ...r, eventBase: r.eventBase + 1 }));
    const buggy = new MemoryTrace(trace.header, [...records.filter((r) => r.tick <= 1), ...later]);
    const chain = causalChain(buggy, eventId(buggy, 0, 1, 3));
    expect(chain.geometry.distanceAfter).toBe(0);
    expect(chain.geometry.vertical).toMatchObject({ gapAfter: 10, zone: 'beyond-leave-height' });
    expect(chain.steps.at(-1)).toMatch(/\(unexpected: the vertical gap is beyond the view half-height\)$/);
  });

  it('reports no vertical limit as null in JSON (a 2D entity in a world with height)', () => {
    const world = new AoiWorld({ mode: 'batched' });
    const trace = new MemoryTrace();
    const recorder = recordWorld(world, trace, { now: () => 0 });
    world.add(1, { x: 0, y: 0, viewRadius: 20 });
    world.add(2, { x: 5, y: 0, z: 30, viewRadius: 20, viewHeight: 4 });
    recorder.tick();
    recorder.close();
    const chain = causalChain(trace, eventId(trace, 0, 1, 2));
    expect(chain.geometry.vertical).toMatchObject({ watcherZAfter: 0, gapAfter: 30, zone: 'within-view-height' });
    expect(JSON.parse(JSON.stringify(chain.geometry.vertical))).toMatchObject({ viewHeight: null, leaveHeight: null });
    expect(chain.steps.join('\n')).toContain('view half-height no limit, leave half-height no limit');
  });
});
