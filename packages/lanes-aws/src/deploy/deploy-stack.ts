import type { Parameter, Stack, Tag } from '@aws-sdk/client-cloudformation';
import { type LaneKey, laneKeyString } from '@lanes/core';
import { environmentJson, type LaneRevision, laneEnvironment, REVISION_PARAMETERS } from '../synth/lane-revision.js';
import { CANARY_WEIGHT } from '../synth/lane-rules.js';
import { laneParameters } from '../synth/synthesize.js';
import { busyNow, discardChangeSet, executeChangeSet } from './busy.js';
import { createChangeSet } from './change-set.js';
import { type AwsContext, deadlineOf, laneStackName } from './context.js';
import { deleteAndWait } from './delete-stack.js';
import { notify } from './deploy-events.js';
import { type AwsDeployResult, type AwsLaneFailed, busyResult } from './results.js';
import { StackEventStream } from './stack-events.js';
import { applyStackPolicy } from './stack-policy.js';
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
import { previousRevisionOf } from './stack-revision.js';
import { waitForStack } from './wait-stack.js';

/** What to deploy to a lane. */
export interface AwsDeployRequest {
  /** The container image (the seed's `ImageUri`). */
  imageUri: string;
  /** A human label (`v1.2.3`, a git sha), kept as the stack tag `lanes:label`. @default none */
  label?: string;
  /** Variables merged over the project files' `run.env` for this revision (as `lanes deploy --env`). @default none */
  env?: Record<string, string>;
  /**
   * The revision's whole environment, instead of composing it from the project files: what promote and rollback
   * move. @default `laneEnvironment(project, service, lane, env)`
   */
  environment?: Record<string, string>;
}

const SUCCEEDED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
const ROLLED_BACK = new Set(['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

/**
 * Deploys a revision (image and environment) to a lane through a change set: CREATE for a new lane, UPDATE
 * otherwise. A stack left in ROLLBACK_COMPLETE by a failed first deploy cannot be updated, so it is deleted and
 * created again. Another operation on the stack, seen before or while the change set is prepared, answers `busy`.
 */
export async function deployStack(ctx: AwsContext, key: LaneKey, request: AwsDeployRequest): Promise<AwsDeployResult> {
  const lane = laneKeyString(key);
  const stack = laneStackName(ctx, key);
  ctx.progress.lane = lane;
  ctx.progress.stack = stack;
  ctx.progress.stackId = undefined;
  ctx.progress.running = undefined;
  const started = ctx.clock.now();
  const deadline = deadlineOf(ctx, started);
  let current = await describeStack(ctx, stack);
  const status = current ? statusOf(current) : undefined;
  if (current && status && isBusy(status)) return busyResult(lane, stack, status);
  if (current) ctx.progress.stackId = stackIdOf(current);
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
  const revision: LaneRevision = {
    image: request.imageUri,
    environment: request.environment ?? laneEnvironment(ctx.project, key.service, key.lane, request.env),
  };
  const previous = previousRevisionOf(live, revision);
  const template = ctx.templates.app(key.service, key.lane, revision.environment);
  const stream = current ? new StackEventStream(ctx, stackIdOf(current), lane, started) : undefined;
  await stream?.prime();
  const changeSet = await createChangeSet(ctx, {
    stack,
    type: isNew ? 'CREATE' : 'UPDATE',
    template,
    parameters: stackParameters(ctx, key, revision, previous, template, live),
    tags: stackTags(live, request, previous),
    description: `lanes deploy ${lane} ${request.imageUri}`,
    lane,
    deadline,
  });
  if (changeSet.type === 'busy') return busyNow(ctx, lane, stack, changeSet);
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
  const policy = ctx.templates.stackPolicy?.(key.service, key.lane);
  // Guards this update already; a new stack gets its policy once it exists (below).
  if (policy && !isNew) {
    await applyStackPolicy(ctx, { stack, stackId: changeSet.stackId, lane }, policy, false).catch(async (error) => {
      await discardChangeSet(ctx, changeSet);
      throw error;
    });
  }
  const refused = await executeChangeSet(ctx, changeSet, stack, lane);
  if (refused) return refused;
  ctx.progress.pendingChangeSet = undefined;
  ctx.progress.running = { action: 'execute', changeSet: changeSet.name };
  const final = await waitForStack(ctx, changeSet.stackId, events, deadline);
  ctx.progress.running = undefined;
  const finalStatus = final ? statusOf(final) : 'DELETE_COMPLETE';
  if (SUCCEEDED.has(finalStatus)) {
    if (policy && isNew) await applyStackPolicy(ctx, { stack, stackId: changeSet.stackId, lane }, policy, true);
    return {
      type: 'deployed',
      lane,
      stack,
      stackId: changeSet.stackId,
      image: request.imageUri,
      environment: revision.environment,
      previousImage: previous?.image,
      changeSetType: isNew ? 'CREATE' : 'UPDATE',
      recreated,
      status: finalStatus,
      durationMs: ctx.clock.now() - started,
    };
  }
  return executionFailed(lane, stack, finalStatus, final?.StackStatusReason, events);
}

/** `busy`, with the stack's status as CloudFormation shows it now (the operation that got there first). */
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

function previousLabelOf(live: Stack | undefined, previous: LaneRevision | undefined): string | undefined {
  if (!previous) return undefined;
  if (previous.image === parameterOf(live, REVISION_PARAMETERS.image)) return tagOf(live, TAGS.label);
  return tagOf(live, TAGS.previousLabel);
}

/** The stack's tags: the ones others put there are kept; the provider's own are rewritten (see `TAGS`). */
function stackTags(live: Stack | undefined, request: AwsDeployRequest, previous: LaneRevision | undefined): Tag[] {
  const own = new Set<string>(Object.values(TAGS));
  const kept = (live?.Tags ?? []).filter((t) => t.Key && !own.has(t.Key));
  const values: [string, string | undefined][] = [
    [TAGS.image, request.imageUri],
    [TAGS.label, request.label],
    [TAGS.previousImage, previous?.image],
    [TAGS.previousLabel, previousLabelOf(live, previous)],
  ];
  // CloudFormation refuses empty tag values: an absent value is an absent tag.
  return [...kept, ...values.filter(([, v]) => v).map(([Key, Value]) => ({ Key, Value }))];
}

/**
 * The service's parameters (`params/{service}-{env}.json`), the four the seed's build emits (`cfn-params.json`),
 * and the revision's: its environment and the previous revision (see `REVISION_PARAMETERS`). When the template is JSON, parameters it does
 * not declare are left out: CloudFormation refuses them.
 */
function stackParameters(
  ctx: AwsContext,
  key: LaneKey,
  revision: LaneRevision,
  previous: LaneRevision | undefined,
  template: string,
  live: Stack | undefined,
): Parameter[] {
  // The same parameters ci/build.sh writes to cfn-params.json, so a CLI deploy and a pipeline run agree.
  const where = `lane ${laneKeyString(key)}`;
  const values: Record<string, string> = {
    ...laneParameters(ctx.project, key.service, key.lane, revision.image),
    [REVISION_PARAMETERS.environment]: environmentJson(revision.environment, where),
    [REVISION_PARAMETERS.previousImage]: previous?.image ?? '',
    [REVISION_PARAMETERS.previousEnvironment]: environmentJson(previous?.environment ?? {}, where),
  };
  const declared = declaredParameters(template);
  const given: Parameter[] = Object.entries(values)
    .filter(([name]) => !declared || declared.has(name))
    .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  // A new revision keeps the lane's share of untagged traffic (`lanes route`; a new lane has none): only route and
  // promote move it.
  if (!declared?.has(CANARY_WEIGHT)) return given;
  return [...given, { ParameterKey: CANARY_WEIGHT, ParameterValue: parameterOf(live, CANARY_WEIGHT) ?? '0' }];
}

function declaredParameters(template: string): Set<string> | undefined {
  try {
    const parsed = JSON.parse(template) as { Parameters?: Record<string, unknown> };
    return new Set(Object.keys(parsed.Parameters ?? {}));
  } catch {
    return undefined;
  }
}
