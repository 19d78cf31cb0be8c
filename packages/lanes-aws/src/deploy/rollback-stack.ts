import { type LaneKey, laneKeyString } from '@lanes/core';
import { type AwsContext, laneStackName } from './context.js';
import { deployStack } from './deploy-stack.js';
import { type AwsRollbackResult, busyResult } from './results.js';
import { describeStack, isBusy, statusOf, TAGS, tagOf } from './stack-reader.js';
import { recordedPreviousOf } from './stack-revision.js';

/**
 * Rolls a lane back to the revision (image and environment) it ran before its current one, read from the stack
 * parameters `PreviousImageUri` and `PreviousEnvironment` that every deploy path writes, the provider and the
 * pipeline alike (a pipeline run replaces the stack's tags, not its parameters). The rollback is itself a deploy,
 * so it records the revision it replaces: rolling back twice returns to where it started. The template deployed is
 * today's; only the revision goes back.
 */
export async function rollbackStack(ctx: AwsContext, key: LaneKey): Promise<AwsRollbackResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  const current = await describeStack(ctx, stack);
  if (!current) return { type: 'not-found', lane, stack, message: `there is no lane ${lane} (no stack ${stack})` };
  const status = statusOf(current);
  if (isBusy(status)) return busyResult(lane, stack, status);
  const previous = recordedPreviousOf(current);
  if (!previous) {
    const message = `${lane} has no earlier revision to roll back to (its stack ${stack} has an empty PreviousImageUri parameter: it has had one revision so far)`;
    return { type: 'no-previous', lane, message };
  }
  const label = tagOf(current, TAGS.previousLabel);
  return deployStack(ctx, key, {
    imageUri: previous.image,
    environment: previous.environment,
    ...(label ? { label } : {}),
  });
}
