import { createHash } from 'node:crypto';
import { LanesError } from '@lanes/core';
import { RULE_KINDS, type RuleKind } from './header-match.js';

/**
 * Listener-rule priorities. ALB needs them unique per listener (1..50000) and evaluates rules in priority order.
 * Every rule kind owns a fixed band of priorities, in precedence order (tracestate before baggage, as `extractLane`
 * reads them, and the percentage canary last); a lane's offset inside every band is a hash of `{service}/{lane}`.
 * The regex mode's one rule per carrier takes the band of the wildcard mode's first rule of that carrier, so both
 * modes share one layout: lanes in either mode coexist on a listener, and switching a lane's mode updates its rules
 * in place instead of creating a rule at a priority its old rule still holds (`PriorityInUse` mid-update). The
 * price is bands of 8333 instead of 16666 for three slots: see `docs/aws.md` for the collision odds.
 * So a lane's priorities depend on nothing but its names: redeploying keeps them, and two lanes created at the same
 * moment never race for a free number (there is no shared allocator). Two lanes whose hashes collide are refused at
 * synth time when both are known, and by `ci/build.sh` before the change set otherwise.
 */

/** Rule kinds with a priority band, in band order. */
export const PRIORITY_SLOTS = [...RULE_KINDS, 'canary'] as const;
export type PrioritySlot = RuleKind | 'canary';

/** ALB's highest rule priority. */
export const MAX_RULE_PRIORITY = 50_000;

/** Priorities per band: 6 bands of 8333 fill 1..49998. */
export const PRIORITY_BAND = Math.floor(MAX_RULE_PRIORITY / PRIORITY_SLOTS.length);

/** The lane's offset inside every band, 0..PRIORITY_BAND-1 (`ci/build.sh` computes the same with sha256sum). */
export function laneHash(service: string, lane: string): number {
  const hex = createHash('sha256').update(`${service}/${lane}`).digest('hex').slice(0, 8);
  return Number.parseInt(hex, 16) % PRIORITY_BAND;
}

/** The priority of one rule of a lane. */
export function rulePriority(slot: PrioritySlot, service: string, lane: string): number {
  return PRIORITY_SLOTS.indexOf(slot) * PRIORITY_BAND + 1 + laneHash(service, lane);
}

/** Every band's priority for the lane, in `PRIORITY_SLOTS` order (the app template's `RulePriorities`). */
export function lanePriorities(service: string, lane: string): number[] {
  return PRIORITY_SLOTS.map((slot) => rulePriority(slot, service, lane));
}

/** Pairs of a service's lanes that would get the same priorities. */
export function priorityCollisions(service: string, lanes: readonly string[]): [string, string][] {
  const seen = new Map<number, string>();
  const collisions: [string, string][] = [];
  for (const lane of [...lanes].sort()) {
    const hash = laneHash(service, lane);
    const other = seen.get(hash);
    if (other !== undefined) collisions.push([other, lane]);
    else seen.set(hash, lane);
  }
  return collisions;
}

/** Throws `AWS_RULE_PRIORITY_COLLISION` (a user error) when two known lanes of a service share priorities. */
export function checkPriorityCollisions(service: string, lanes: readonly string[]): void {
  const [first] = priorityCollisions(service, lanes);
  if (first === undefined) return;
  const [a, b] = first;
  throw new LanesError(
    'AWS_RULE_PRIORITY_COLLISION',
    `lanes "${a}" and "${b}" of service "${service}" hash to the same ALB rule priorities ` +
      `(${rulePriority('tracestate', service, a)}, ...), and ALB needs priorities unique per listener; ` +
      `rename one of them (any other name works: one name in ${PRIORITY_BAND} collides)`,
    'user',
  );
}
