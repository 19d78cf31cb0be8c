import { type LaneKey, laneKeyString } from '@lanes/core';
import { type AwsContext, laneStackName } from './context.js';
import { deleteStack, refuseIfImported } from './delete-stack.js';
import { deployStack } from './deploy-stack.js';
import { type AwsPromoteResult, busyResult } from './results.js';
import { describeStack, isBusy, statusOf, TAGS, tagOf } from './stack-reader.js';
import { revisionOfStack } from './stack-revision.js';

/** A lane can be promoted only when its last deploy completed: otherwise it may not run what was tested. */
const PROMOTABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

/**
 * Promote: the default lane's stack is updated to the lane's revision, its image and its environment, as the lane's
 * stack runs them (a change set; ECS replaces its tasks with no request lost), and once that is complete the lane's
 * stack is deleted. Everything that could refuse the delete is checked before the default lane is touched.
 */
export async function promoteStack(ctx: AwsContext, key: LaneKey): Promise<AwsPromoteResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  if (key.lane === 'default') {
    return { type: 'refused', lane, reason: 'default-lane', message: 'default is already the default lane' };
  }
  const started = ctx.clock.now();
  const defaultKey: LaneKey = { ...key, lane: 'default' };
  const source = await describeStack(ctx, stack);
  if (!source) return { type: 'not-found', lane, stack, message: `there is no lane ${lane} (no stack ${stack})` };
  const status = statusOf(source);
  if (isBusy(status)) return busyResult(lane, stack, status);
  const revision = revisionOfStack(source);
  const image = revision?.image;
  if (!PROMOTABLE.has(status) || !revision || !image) {
    return {
      type: 'refused',
      lane,
      reason: 'not-promotable',
      message: `cannot promote ${lane}: its stack ${stack} is ${status}${image ? '' : ' with no ImageUri'}; deploy it successfully first`,
    };
  }
  const imported = await refuseIfImported(ctx, lane, source);
  if (imported) return imported;
  const label = tagOf(source, TAGS.label);
  const update = await deployStack(ctx, defaultKey, {
    imageUri: image,
    environment: revision.environment,
    ...(label ? { label } : {}),
  });
  if (update.type !== 'deployed' && update.type !== 'no-change') return update;
  const deleted = await deleteStack(ctx, key);
  if (deleted.type !== 'deleted') {
    const done = `${laneKeyString(defaultKey)} now runs ${image}, but ${lane} was not deleted: `;
    return { ...deleted, message: done + deleted.message };
  }
  return { type: 'promoted', lane, image, defaultUpdate: update.type, durationMs: ctx.clock.now() - started };
}
