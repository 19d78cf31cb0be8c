import type { Parameter } from '@aws-sdk/client-cloudformation';
import type { Failed, NotFound, Refusal } from '@lanes/core';
import { type LaneKey, laneKeyString } from '@lanes/core';
import { busyNow, executeChangeSet } from '../deploy/busy.js';
import { createChangeSet } from '../deploy/change-set.js';
import { type AwsContext, deadlineOf, laneStackName } from '../deploy/context.js';
import { busyResult } from '../deploy/results.js';
import { StackEventStream } from '../deploy/stack-events.js';
import { describeStack, isBusy, isUpdatable, parameterOf, stackIdOf, statusOf } from '../deploy/stack-reader.js';
import { waitForStack } from '../deploy/wait-stack.js';
import { CANARY_WEIGHT } from '../synth/lane-rules.js';

export type CanaryWeightResult =
  | { type: 'set'; lane: string; stack: string; percent: number; previous: number; changed: boolean }
  | Failed
  | Refusal
  | NotFound;

/**
 * Sets a lane's share of untagged traffic: a change set on the lane's stack that changes only `CanaryWeight`,
 * with the stack's current template and every other parameter's previous value (`UsePreviousTemplate`,
 * `UsePreviousValue`), so a route never deploys anything else. The template adds the weighted forward rule while
 * the weight is above 0 and removes it at 0.
 */
export async function setCanaryWeight(ctx: AwsContext, key: LaneKey, percent: number): Promise<CanaryWeightResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  const started = ctx.clock.now();
  const current = await describeStack(ctx, stack);
  if (!current) return { type: 'not-found', lane, message: `there is no lane ${lane} (no stack ${stack})` };
  const status = statusOf(current);
  if (isBusy(status)) return busyResult(lane, stack, status);
  const weight = parameterOf(current, CANARY_WEIGHT);
  if (weight === undefined) {
    const message = `${lane} takes no share of untagged traffic: its stack ${stack} has no ${CANARY_WEIGHT} parameter (default takes what the other lanes leave)`;
    return { type: 'refused', lane, message };
  }
  const previous = Number(weight);
  if (previous === percent) return { type: 'set', lane, stack, percent, previous, changed: false };
  if (!isUpdatable(status)) {
    return { type: 'refused', lane, message: `cannot route to ${lane}: its stack ${stack} is ${status}` };
  }
  const parameters: Parameter[] = (current.Parameters ?? []).map((p) =>
    p.ParameterKey === CANARY_WEIGHT
      ? { ParameterKey: CANARY_WEIGHT, ParameterValue: String(percent) }
      : { ParameterKey: p.ParameterKey, UsePreviousValue: true },
  );
  const deadline = deadlineOf(ctx, started);
  const events = new StackEventStream(ctx, stackIdOf(current), lane, started);
  await events.prime();
  const changeSet = await createChangeSet(ctx, {
    stack,
    type: 'UPDATE',
    template: undefined,
    parameters,
    // The stack's own tags (image, previous image): a change set without them would drop them.
    tags: current.Tags ?? [],
    description: `lanes route ${lane} ${CANARY_WEIGHT}=${percent}`,
    lane,
    deadline,
  });
  if (changeSet.type === 'busy') return busyNow(ctx, lane, stack, changeSet);
  if (changeSet.type === 'empty') return { type: 'set', lane, stack, percent, previous, changed: false };
  if (changeSet.type === 'failed') {
    return { type: 'failed', lane, message: `CloudFormation refused the change set for ${stack}: ${changeSet.reason}` };
  }
  const refused = await executeChangeSet(ctx, changeSet, stack, lane);
  if (refused) return refused;
  const final = await waitForStack(ctx, changeSet.stackId, events, deadline);
  const finalStatus = final ? statusOf(final) : 'DELETE_COMPLETE';
  if (finalStatus === 'UPDATE_COMPLETE') return { type: 'set', lane, stack, percent, previous, changed: true };
  const cause = events.firstFailure();
  const reason = cause ? `${cause.logicalId} ${cause.status}: ${cause.reason}` : `stack ended ${finalStatus}`;
  return { type: 'failed', lane, message: `setting ${CANARY_WEIGHT}=${percent} on ${stack} failed: ${reason}` };
}
