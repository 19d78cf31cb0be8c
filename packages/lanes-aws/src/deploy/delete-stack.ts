import { DeleteStackCommand, ListImportsCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { type LaneKey, laneKeyString } from '@lanes/core';
import { changeSetName } from './change-set.js';
import { type AwsContext, callOptions, deadlineOf, laneStackName } from './context.js';
import { notify } from './deploy-events.js';
import { type AwsDeleteResult, type AwsLaneFailed, type AwsLaneRefused, busyResult } from './results.js';
import { StackEventStream } from './stack-events.js';
import { describeStack, isBusy, stackIdOf, statusOf } from './stack-reader.js';
import { waitForStack } from './wait-stack.js';

/**
 * Deletes a lane's stack (and with it everything the lane owns). Refused for the default lane and for a stack whose
 * exports other stacks import: CloudFormation would fail the delete halfway.
 */
export async function deleteStack(ctx: AwsContext, key: LaneKey): Promise<AwsDeleteResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  if (key.lane === 'default') {
    return {
      type: 'refused',
      lane,
      reason: 'default-lane',
      message: `${lane} is the service's default lane and cannot be deleted`,
    };
  }
  const started = ctx.clock.now();
  const current = await describeStack(ctx, stack);
  if (!current) return { type: 'not-found', lane, stack, message: `there is no lane ${lane} (no stack ${stack})` };
  const status = statusOf(current);
  if (isBusy(status)) return busyResult(lane, stack, status);
  const refused = await refuseIfImported(ctx, lane, current);
  if (refused) return refused;
  const gone = await deleteAndWait(ctx, { name: stack, id: stackIdOf(current) }, lane, deadlineOf(ctx, started));
  if (gone.type === 'failed') return gone;
  notify(ctx, 'LANE_DELETED', `${lane} deleted (stack ${stack})`, { lane, data: { stack } });
  return { type: 'deleted', lane, stack, durationMs: ctx.clock.now() - started };
}

/** The stacks that import each export of `stack`; only exports that are imported are listed. */
export async function findImporters(
  ctx: AwsContext,
  stack: Stack,
): Promise<{ exportName: string; stacks: string[] }[]> {
  const found: { exportName: string; stacks: string[] }[] = [];
  for (const output of stack.Outputs ?? []) {
    if (!output.ExportName) continue;
    const stacks = await importersOf(ctx, output.ExportName);
    if (stacks.length > 0) found.push({ exportName: output.ExportName, stacks });
  }
  return found;
}

/** A refusal naming the importers, or undefined when nothing imports the stack's exports. */
export async function refuseIfImported(
  ctx: AwsContext,
  lane: string,
  stack: Stack,
): Promise<AwsLaneRefused | undefined> {
  const importers = await findImporters(ctx, stack);
  if (importers.length === 0) return undefined;
  const list = importers.map((i) => `${i.exportName} is imported by ${i.stacks.join(', ')}`).join('; ');
  return {
    type: 'refused',
    lane,
    reason: 'imported',
    importers,
    message: `cannot delete ${lane}: other stacks use its stack ${stack.StackName}'s exports (${list}); remove those imports first`,
  };
}

async function importersOf(ctx: AwsContext, exportName: string): Promise<string[]> {
  const stacks: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await ctx.cloudformation.send(
        new ListImportsCommand({ ExportName: exportName, NextToken: token }),
        callOptions(ctx),
      );
      stacks.push(...(page.Imports ?? []));
      token = page.NextToken;
    } while (token);
  } catch (error) {
    // CloudFormation answers an export nobody imports with a ValidationError, not with an empty list.
    if (error instanceof Error && error.name === 'ValidationError' && /not imported/i.test(error.message)) return [];
    throw error;
  }
  return stacks;
}

/**
 * Deletes a stack by id (never a newer stack of the same name) and waits until it is gone, reporting its events.
 */
export async function deleteAndWait(
  ctx: AwsContext,
  target: { name: string; id: string },
  lane: string,
  deadline: number,
): Promise<{ type: 'deleted' } | AwsLaneFailed> {
  const stream = new StackEventStream(ctx, target.id, lane, ctx.clock.now());
  await stream.prime();
  const token = changeSetName(ctx.clock.now()).replace(/^lanes-/, 'lanes-delete-');
  await ctx.cloudformation.send(
    new DeleteStackCommand({ StackName: target.id, ClientRequestToken: token }),
    callOptions(ctx),
  );
  ctx.progress.lane = lane;
  ctx.progress.stack = target.name;
  ctx.progress.stackId = target.id;
  ctx.progress.running = { action: 'delete' };
  const final = await waitForStack(ctx, target.id, stream, deadline);
  const status = final ? statusOf(final) : 'DELETE_COMPLETE';
  if (status === 'DELETE_COMPLETE') return { type: 'deleted' };
  const resource = stream.firstFailure();
  const reason = resource
    ? `${resource.logicalId} (${resource.type}) ${resource.status}: ${resource.reason}`
    : (final?.StackStatusReason ?? `stack ended ${status}`);
  return {
    type: 'failed',
    lane,
    stack: target.name,
    phase: 'delete',
    status,
    resource,
    rolledBack: false,
    reason,
    message: `deleting ${target.name} failed (${status}): ${reason}; fix the resource and delete again`,
  };
}
