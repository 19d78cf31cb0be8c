import { restartBackoffMs } from '@lanes/gateway';
import { describe, expect, it } from 'vitest';
import type { CrashLoopSpec } from '../model.js';
import { type CrashLoopRecord, decideRestart, describeCrashLoop } from './crash-loop-policy.js';

const spec: CrashLoopSpec = {
  maxRestarts: 5,
  windowMs: 120_000,
  initialBackoffMs: 1000,
  maxBackoffMs: 30_000,
  onLoop: 'mark-unhealthy',
};

/** Drives the policy as the supervisor does: each pass either restarts, waits, or declares the loop. */
function passes(times: number[]): string[] {
  let record: CrashLoopRecord | undefined;
  return times.map((now) => {
    const decision = decideRestart(spec, record, 7, now, true);
    record = decision.record;
    return decision.type === 'back-off' ? `wait ${decision.waitMs}` : decision.type;
  });
}

describe('the crash-loop policy', () => {
  it('doubles the back-off from the second restart on, up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => restartBackoffMs(spec, n))).toEqual([
      0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('restarts at once, then backs off, then declares a loop after maxRestarts in the window', () => {
    expect(passes([0, 500, 1000, 2500, 3000, 7000, 15_000, 15_100])).toEqual([
      'restart', // the 1st restart: at once
      'wait 500', // 1 s after the 1st
      'restart', // the 2nd
      'wait 500', // 2 s after the 2nd
      'restart', // the 3rd
      'restart', // the 4th, 4 s after the 3rd
      'restart', // the 5th, 8 s after the 4th: the most allowed
      'loop',
    ]);
  });

  it('forgets restarts older than the window, and starts afresh on another revision', () => {
    const old: CrashLoopRecord = { revision: 7, restarts: [0, 1, 2, 3, 4], state: 'restarting' };
    expect(decideRestart(spec, old, 7, 200_000, true).type).toBe('restart');
    expect(decideRestart(spec, old, 8, 10, true).type).toBe('restart');
    expect(decideRestart(spec, old, 7, 10, true).type).toBe('loop');
  });

  it('holds a lane declared unhealthy until its revision changes', () => {
    const looped: CrashLoopRecord = { revision: 7, restarts: [0], state: 'unhealthy', loopedAt: 1 };
    expect(decideRestart(spec, looped, 7, 10_000_000, true).type).toBe('held');
    expect(decideRestart(spec, looped, 8, 10_000_000, true).type).toBe('restart');
  });

  it('counts only starts a death asks for, including one deferred by the back-off', () => {
    // The platform starting up, or more replicas wanted: no death, not a restart.
    expect(decideRestart(spec, undefined, 7, 0, false)).toEqual({ type: 'fill', record: undefined });
    const first = decideRestart(spec, undefined, 7, 0, true);
    const deferred = decideRestart(spec, first.record, 7, 10, true);
    expect(deferred.type).toBe('back-off');
    // Next pass: the dead replica is already recorded as failed, yet the start it was owed still counts.
    const owed = decideRestart(spec, deferred.record, 7, 1000, false);
    expect(owed.type).toBe('restart');
    expect(owed.record?.restarts).toEqual([0, 1000]);
    const settled = { ...owed.record!, pending: false };
    expect(decideRestart(spec, settled, 7, 1500, false).type).toBe('fill');
  });

  it('says which in status', () => {
    const restarting: CrashLoopRecord = { revision: 7, restarts: [0, 1000, 3000], state: 'restarting' };
    expect(describeCrashLoop(spec, restarting, 7, 4000)).toBe('crash-loop: 3 of 5 restarts in 2m, backing off 3s');
    expect(describeCrashLoop(spec, restarting, 7, 9000)).toBe('crash-loop: 3 of 5 restarts in 2m');
    expect(describeCrashLoop(spec, restarting, 8, 4000)).toBeUndefined();
    expect(describeCrashLoop(spec, { ...restarting, state: 'unhealthy' }, 7, 4000)).toMatch(
      /^unhealthy: crash loop \(3 restarts in 2m\), out of rotation, alarm CRASH_LOOP/,
    );
    const back: CrashLoopRecord = { ...restarting, state: 'rolled-back', rolledBackTo: 6 };
    expect(describeCrashLoop(spec, back, 6, 4000)).toBe('rolled back to revision 6 after a crash loop of revision 7');
  });
});
