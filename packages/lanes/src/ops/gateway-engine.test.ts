import { judgeRestart, RESTART_DEFAULTS } from '@lanes/gateway';
import { describe, expect, it } from 'vitest';
import { PROJECT_DEFAULTS } from '../config/project-defaults.js';
import { type CrashLoopRecord, decideRestart } from './crash-loop-policy.js';

describe("the nginx engine's restart policy", () => {
  it("has the defaults of a service's crashLoop", () => {
    const { onLoop: _, ...restarts } = PROJECT_DEFAULTS.crashLoop;
    expect(RESTART_DEFAULTS).toEqual(restarts);
  });

  it("waits and gives up where the replicas' crash-loop policy does", () => {
    const spec = { ...PROJECT_DEFAULTS.crashLoop, maxRestarts: 4, initialBackoffMs: 100, maxBackoffMs: 250 };
    // Deaths right after each restart, and one after a quiet spell that empties the window.
    const deaths = [0, 10, 200, 500, 900, 1400, 200_000];
    let record: CrashLoopRecord | undefined;
    let restarts: number[] = [];
    const said: string[] = [];
    for (const now of deaths) {
      // The supervisor: a death is judged at once; after a back-off, the pass at its end restarts.
      const replicas = decideRestart(spec, record, 1, now, true);
      record = replicas.record;
      const engine = judgeRestart(spec, restarts, now);
      const expected = replicas.type === 'loop' ? 'give-up' : replicas.type === 'back-off' ? replicas.waitMs : 0;
      expect(engine.type === 'give-up' ? 'give-up' : engine.waitMs, `death at ${now}`).toBe(expected);
      said.push(String(expected));
      if (engine.type === 'give-up') {
        record = undefined;
        restarts = [];
        continue;
      }
      if (replicas.type === 'back-off') record = decideRestart(spec, record, 1, now + engine.waitMs, false).record;
      if (record) record = { ...record, pending: false };
      restarts = [...restarts, now + engine.waitMs];
    }
    // The sequence exercised every branch: at once, doubling waits up to the cap, giving up, a fresh window.
    expect(said).toEqual(['0', '90', '100', '50', 'give-up', '0', '0']);
  });
});
