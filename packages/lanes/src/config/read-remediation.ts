import { readPassiveHealth as readGatewayPassiveHealth } from '@lanes/gateway';
import type { ObjectFields } from '@lanes/json-config';
import type { CrashLoopSpec, GatewayCrashLoopSpec, PassiveHealthSpec } from '../model.js';
import {
  CRASH_LOOP_CHOICES,
  MAX_RESTARTS_RANGE,
  MS_RANGE,
  PROJECT_DEFAULTS,
  PROJECT_FIELDS,
} from './project-defaults.js';

/**
 * `services.<name>.passiveHealth`: mapped as is into the gateway's `passiveHealth` of the service, so it is read by
 * the gateway's own reader (the same ranges, defaults and messages in both files).
 */
export const readPassiveHealth: (service: ObjectFields) => PassiveHealthSpec = readGatewayPassiveHealth;

/** `services.<name>.crashLoop`: the supervisor's policy for replicas of a lane that keep dying. */
export function readCrashLoop(service: ObjectFields): CrashLoopSpec {
  const loop = service.object('crashLoop', PROJECT_FIELDS.crashLoop);
  if (!loop) return { ...PROJECT_DEFAULTS.crashLoop };
  return {
    ...readRestarts(loop),
    onLoop: loop.choice('onLoop', CRASH_LOOP_CHOICES, PROJECT_DEFAULTS.crashLoop.onLoop),
  };
}

/**
 * `gateway.crashLoop`: the same restarts and back-off for the gateway's nginx process; after `maxRestarts` within
 * the window `lanes up` fails (there is no lane to take out of rotation, hence no onLoop).
 */
export function readGatewayCrashLoop(gateway: ObjectFields | undefined): GatewayCrashLoopSpec {
  const loop = gateway?.object('crashLoop', PROJECT_FIELDS.gatewayCrashLoop);
  const { onLoop: _, ...defaults } = PROJECT_DEFAULTS.crashLoop;
  return loop ? readRestarts(loop) : defaults;
}

function readRestarts(loop: ObjectFields): GatewayCrashLoopSpec {
  const defaults = PROJECT_DEFAULTS.crashLoop;
  const spec: GatewayCrashLoopSpec = {
    maxRestarts: loop.integer('maxRestarts', { ...MAX_RESTARTS_RANGE, default: defaults.maxRestarts }),
    windowMs: loop.integer('windowMs', { ...MS_RANGE, default: defaults.windowMs }),
    initialBackoffMs: loop.integer('initialBackoffMs', { ...MS_RANGE, default: defaults.initialBackoffMs }),
    maxBackoffMs: loop.integer('maxBackoffMs', { ...MS_RANGE, default: defaults.maxBackoffMs }),
  };
  if (spec.initialBackoffMs > spec.maxBackoffMs) {
    loop.report(
      loop.at('initialBackoffMs'),
      `${spec.initialBackoffMs} is above maxBackoffMs (${spec.maxBackoffMs}); the back-off starts at initialBackoffMs and doubles up to maxBackoffMs`,
    );
  }
  return spec;
}
