import { ExecuteChangeSetCommand, type Parameter, type Stack, type Tag } from '@aws-sdk/client-cloudformation';
import { type LaneKey, laneKeyString } from '@lanes/core';
import { laneParameters } from '../synth/synthesize.js';
import { createChangeSet } from './change-set.js';
import { type AwsContext, deadlineOf, laneStackName } from './context.js';
import { deleteAndWait } from './delete-stack.js';
import { notify } from './deploy-events.js';
import { type AwsDeployResult, type AwsLaneFailed, busyResult } from './results.js';
import { StackEventStream } from './stack-events.js';
import {
  describeStack,
  isBusy,
  isUpdatable,
  parameterOf,
  stackIdOf,
  statusOf,
  TAGS,
  tagOf,
  unusableAdvice,
} from './stack-reader.js';
import { waitForStack } from './wait-stack.js';

/** What to deploy to a lane. */
export interface AwsDeployRequest {
  /** The container image (the seed's `ImageUri`). */
  imageUri: string;
  /** A human label (`v1.2.3`, a git sha), kept as the stack tag `lanes:label`. @default none */
  label?: string;
}

const SUCCEEDED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
const ROLLED_BACK = new Set(['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

/**
 * Deploys an image to a lane through a change set: CREATE for a new lane, UPDATE otherwise. A stack left in
 * ROLLBACK_COMPLETE by a failed first deploy cannot be updated, so it is deleted and created again.
 */
export async function deployStack(ctx: AwsContext, key: LaneKey, request: AwsDeployRequest): Promise<AwsDeployResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  const started = ctx.clock.now();
  const deadline = deadlineOf(ctx, started);
  let current = await describeStack(ctx, stack);
  const status = current ? statusOf(current) : undefined;
  if (current && status && isBusy(status)) return busyResult(lane, stack, status);
  let recreated = false;
  if (current && status === 'ROLLBACK_COMPLETE') {
    notify(
      ctx,
      'STACK_RECREATING',
      `${stack} is ROLLBACK_COMPLETE (its creation failed): deleting it to create it again`,
      {
        level: 'warn',
        lane,
        data: { stack, stackId: current.StackId },
      },
    );
    const gone = await deleteAndWait(ctx, { name: stack, id: stackIdOf(current) }, lane, deadline);
    if (gone.type === 'failed') return gone;
    current = undefined;
    recreated = true;
  }
  const isNew = !current || status === 'REVIEW_IN_PROGRESS';
  if (current && status && !isNew && !isUpdatable(status)) {
    return {
      type: 'refused',
      lane,
      reason: 'stack-unusable',
      message: `cannot deploy to ${lane}: its stack ${stack} is ${status}; ${unusableAdvice(stack, status)}`,
    };
  }
  const live = isNew ? undefined : current;
  const template = ctx.templates.app(key.service, key.lane);
  const stream = current ? new StackEventStream(ctx, stackIdOf(current), lane, started) : undefined;
  await stream?.prime();
  const changeSet = await createChangeSet(ctx, {
    stack,
    type: isNew ? 'CREATE' : 'UPDATE',
    template,
    parameters: stackParameters(ctx, key, request.imageUri, template),
    tags: stackTags(live, request),
    description: `lanes deploy ${lane} ${request.imageUri}`,
    lane,
    deadline,
  });
  if (changeSet.type === 'empty') {
    const message = `${lane} already runs ${request.imageUri} with this template: nothing to deploy`;
    return { type: 'no-change', lane, stack, image: request.imageUri, message };
  }
  if (changeSet.type === 'failed') {
    // A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS behind; it holds nothing.
    if (isNew) await deleteAndWait(ctx, { name: stack, id: changeSet.stackId }, lane, deadline);
    return {
      type: 'failed',
      lane,
      stack,
      phase: 'change-set',
      status: changeSet.status,
      resource: undefined,
      rolledBack: false,
      reason: changeSet.reason,
      message: `CloudFormation refused the change set for ${stack}: ${changeSet.reason}`,
    };
  }
  const events = stream ?? new StackEventStream(ctx, changeSet.stackId, lane, started);
  await ctx.cloudformation.send(
    new ExecuteChangeSetCommand({ ChangeSetName: changeSet.id, StackName: stack, ClientRequestToken: changeSet.name }),
  );
  const final = await waitForStack(ctx, changeSet.stackId, events, deadline);
  const finalStatus = final ? statusOf(final) : 'DELETE_COMPLETE';
  if (SUCCEEDED.has(finalStatus)) {
    return {
      type: 'deployed',
      lane,
      stack,
      stackId: changeSet.stackId,
      image: request.imageUri,
      previousImage: previousImageOf(live, request.imageUri),
      changeSetType: isNew ? 'CREATE' : 'UPDATE',
      recreated,
      status: finalStatus,
      durationMs: ctx.clock.now() - started,
    };
  }
  return executionFailed(lane, stack, finalStatus, final?.StackStatusReason, events);
}

function executionFailed(
  lane: string,
  stack: string,
  status: string,
  stackReason: string | undefined,
  events: StackEventStream,
): AwsLaneFailed {
  const resource = events.firstFailure();
  const rolledBack = ROLLED_BACK.has(status);
  const reason = resource
    ? `${resource.logicalId} (${resource.type}) ${resource.status}: ${resource.reason}`
    : (stackReason ?? `stack ended ${status}`);
  const after = rolledBack
    ? status === 'ROLLBACK_COMPLETE'
      ? 'the new stack was rolled back and holds nothing; the next deploy creates it again'
      : 'CloudFormation rolled the stack back: the lane runs what it ran before'
    : 'CloudFormation did not roll it back';
  return {
    type: 'failed',
    lane,
    stack,
    phase: 'execute',
    status,
    resource,
    rolledBack,
    reason,
    message: `deploy to ${lane} failed (${stack} ${status}): ${reason}; ${after}`,
  };
}

/** The image a deploy of `image` moves away from: the running one, or, on a redeploy, the one recorded before. */
function previousImageOf(live: Stack | undefined, image: string): string | undefined {
  const running = parameterOf(live, 'ImageUri');
  if (running !== undefined && running !== image) return running;
  return tagOf(live, TAGS.previousImage);
}

function previousLabelOf(live: Stack | undefined, image: string): string | undefined {
  const running = parameterOf(live, 'ImageUri');
  if (running !== undefined && running !== image) return tagOf(live, TAGS.label);
  return tagOf(live, TAGS.previousLabel);
}

/** The stack's tags: the ones others put there are kept; the provider's own are rewritten (see `TAGS`). */
function stackTags(live: Stack | undefined, request: AwsDeployRequest): Tag[] {
  const own = new Set<string>(Object.values(TAGS));
  const kept = (live?.Tags ?? []).filter((t) => t.Key && !own.has(t.Key));
  const values: [string, string | undefined][] = [
    [TAGS.image, request.imageUri],
    [TAGS.label, request.label],
    [TAGS.previousImage, previousImageOf(live, request.imageUri)],
    [TAGS.previousLabel, previousLabelOf(live, request.imageUri)],
  ];
  // CloudFormation refuses empty tag values: an absent value is an absent tag.
  return [...kept, ...values.filter(([, v]) => v).map(([Key, Value]) => ({ Key, Value }))];
}

/**
 * The service's parameters (`params/{service}-{env}.json`) and the four the seed's build emits (`cfn-params.json`).
 * When the template is JSON, parameters it does not declare are left out: CloudFormation refuses them.
 */
function stackParameters(ctx: AwsContext, key: LaneKey, imageUri: string, template: string): Parameter[] {
  // The same parameters ci/build.sh writes to cfn-params.json, so a CLI deploy and a pipeline run agree.
  const values = laneParameters(ctx.project, key.service, key.lane, imageUri);
  const declared = declaredParameters(template);
  return Object.entries(values)
    .filter(([name]) => !declared || declared.has(name))
    .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

function declaredParameters(template: string): Set<string> | undefined {
  try {
    const parsed = JSON.parse(template) as { Parameters?: Record<string, unknown> };
    return new Set(Object.keys(parsed.Parameters ?? {}));
  } catch {
    return undefined;
  }
}
