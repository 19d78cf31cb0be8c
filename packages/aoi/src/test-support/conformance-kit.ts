import { expect } from 'vitest';
import { AoiError } from '../errors.js';
import type { WorldOptions } from '../types.js';
import type { AoiWorld } from '../world.js';
import type { EventLog } from './event-log.js';
import type { ModelEvent } from './reference-model.js';

// What the conformance suite's scenario files share.

/** A fresh world of the algorithm under test with its event log (closed after each test). */
export type MakeWorld = (extra?: WorldOptions) => { log: EventLog; world: AoiWorld };

export const ev = (kind: ModelEvent[0], w: number, t: number): ModelEvent => [kind, w, t];

/** Each attempt throws an AoiError with its code and a message that names the bad value. */
export function expectRejected(attempts: ReadonlyArray<[() => void, string]>): void {
  for (const [attempt, code] of attempts) {
    let caught: unknown;
    try {
      attempt();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AoiError);
    expect((caught as AoiError).code).toBe(code);
    expect((caught as AoiError).message).toMatch(/\d|NaN|Infinity/);
  }
}
