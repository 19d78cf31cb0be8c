import { type LaneKey, laneKeyString } from '@lanes/core';
import { type AwsContext, laneStackName } from './context.js';
import { deployStack } from './deploy-stack.js';
import { type AwsRollbackResult, busyResult } from './results.js';
import { describeStack, isBusy, statusOf, TAGS, tagOf } from './stack-reader.js';

/**
 * Rolls a lane back to the image it ran before its current one, read from the stack tag `lanes:previous-image`
 * that every deploy writes (see `TAGS`). The rollback is itself a deploy, so it records the image it replaces:
 * rolling back twice returns to where it started. The template deployed is today's, only the image goes back.
 */
export async function rollbackStack(ctx: AwsContext, key: LaneKey): Promise<AwsRollbackResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  const current = await describeStack(ctx, stack);
  if (!current) return { type: 'not-found', lane, stack, message: `there is no lane ${lane} (no stack ${stack})` };
  const status = statusOf(current);
  if (isBusy(status)) return busyResult(lane, stack, status);
  const previous = tagOf(current, TAGS.previousImage);
  if (!previous) {
    const message = `${lane} has no earlier image to roll back to (its stack ${stack} has no ${TAGS.previousImage} tag; lanes writes it from the second deploy on)`;
    return { type: 'no-previous', lane, message };
  }
  return deployStack(ctx, key, { imageUri: previous, label: tagOf(current, TAGS.previousLabel) });
}
