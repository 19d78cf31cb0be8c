import { randomBytes } from 'node:crypto';
import {
  type Capability,
  type ChangeSetType,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  type Parameter,
  type Tag,
} from '@aws-sdk/client-cloudformation';
import { LanesError } from '@lanes/core';
import { type BusyCause, busyError, busyReason, discardChangeSet } from './busy.js';
import { type AwsContext, callOptions, pause } from './context.js';
import { notify } from './deploy-events.js';
import { templateSource } from './template-upload.js';

/** CloudFormation's rule for change set names. */
export const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** A unique, valid change set name: `lanes-<UTC timestamp>-<random hex>`, e.g. `lanes-20250101T120000000Z-1a2b3c4d`. */
export function changeSetName(now: number, random: string = randomBytes(4).toString('hex')): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  return `lanes-${stamp}-${random}`;
}

/** The reasons CloudFormation gives a change set that would change nothing. */
const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i];

/** App stacks create IAM roles (the task and execution roles). */
const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'];

export interface ChangeSetRequest {
  stack: string;
  type: ChangeSetType;
  /** The template body; undefined: the stack's current one (`UsePreviousTemplate`), for a parameter-only change. */
  template: string | undefined;
  parameters: Parameter[];
  tags: Tag[];
  description: string;
  lane: string;
  deadline: number;
}

export type ChangeSetOutcome =
  | { type: 'ready'; id: string; name: string; stackId: string }
  | { type: 'empty'; id: string; name: string; stackId: string }
  | { type: 'failed'; id: string; name: string; stackId: string; status: string; reason: string }
  /** Another operation reached the stack first; the change set (if one was created) is deleted again. */
  | ({ type: 'busy' } & BusyCause);

const PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);

/**
 * Creates a change set and waits until CloudFormation has computed it. An empty or failed change set is deleted
 * again (they would pile up on the stack otherwise).
 */
export async function createChangeSet(ctx: AwsContext, request: ChangeSetRequest): Promise<ChangeSetOutcome> {
  // Before anything is created: a template that cannot reach CloudFormation leaves no change set behind.
  const source =
    request.template === undefined
      ? { UsePreviousTemplate: true }
      : await templateSource(ctx, request.stack, request.template);
  const name = changeSetName(ctx.clock.now());
  let created: { Id?: string | undefined; StackId?: string | undefined };
  try {
    created = await ctx.cloudformation.send(
      new CreateChangeSetCommand({
        StackName: request.stack,
        ChangeSetName: name,
        ChangeSetType: request.type,
        ...source,
        Parameters: request.parameters,
        Tags: request.tags,
        Capabilities: CAPABILITIES,
        Description: request.description.slice(0, 1024),
      }),
      callOptions(ctx),
    );
  } catch (error) {
    const busy = busyError(error);
    if (busy) return { type: 'busy', ...busy };
    throw error;
  }
  const id = created.Id ?? name;
  const stackId = created.StackId ?? request.stack;
  ctx.progress.stackId = stackId;
  ctx.progress.pendingChangeSet = { id, name, stackId };
  let described: DescribeChangeSetCommandOutput;
  try {
    described = await waitForChangeSet(ctx, id, request);
  } catch (error) {
    const busy = busyError(error);
    if (!busy) throw error;
    await discardChangeSet(ctx, { id, stackId });
    return { type: 'busy', ...busy };
  }
  const status = described.Status ?? 'UNKNOWN';
  if (status === 'CREATE_COMPLETE' && described.ExecutionStatus === 'AVAILABLE') {
    const changes = (described.Changes ?? []).map((c) => ({
      action: c.ResourceChange?.Action,
      logicalId: c.ResourceChange?.LogicalResourceId,
      type: c.ResourceChange?.ResourceType,
      replacement: c.ResourceChange?.Replacement,
    }));
    notify(ctx, 'CHANGE_SET_CREATED', `${request.stack}: change set ${name} (${request.type}), executing`, {
      lane: request.lane,
      data: {
        stack: request.stack,
        changeSet: name,
        changeSetType: request.type,
        changes,
        ...('TemplateURL' in source ? { templateUrl: source.TemplateURL } : {}),
      },
    });
    return { type: 'ready', id, name, stackId };
  }
  await discardChangeSet(ctx, { id, stackId });
  const reason = described.StatusReason ?? `change set is ${status}, execution ${described.ExecutionStatus}`;
  if (status === 'FAILED' && NO_CHANGES.some((re) => re.test(reason))) {
    notify(ctx, 'CHANGE_SET_EMPTY', `${request.stack}: no changes to deploy`, {
      lane: request.lane,
      data: { stack: request.stack, changeSet: name },
    });
    return { type: 'empty', id, name, stackId };
  }
  const busy = busyReason(reason);
  if (busy) return { type: 'busy', ...busy };
  return { type: 'failed', id, name, stackId, status, reason };
}

async function waitForChangeSet(
  ctx: AwsContext,
  id: string,
  request: ChangeSetRequest,
): Promise<DescribeChangeSetCommandOutput> {
  for (;;) {
    const out = await ctx.cloudformation.send(
      new DescribeChangeSetCommand({ ChangeSetName: id, StackName: request.stack }),
      callOptions(ctx),
    );
    const computing = PENDING.has(out.Status ?? '');
    // Right after CREATE_COMPLETE the change set can still be UNAVAILABLE for a moment.
    const settling = out.Status === 'CREATE_COMPLETE' && out.ExecutionStatus === 'UNAVAILABLE';
    if (!computing && !settling) return out;
    if (ctx.clock.now() >= request.deadline) {
      throw new LanesError(
        'AWS_TIMEOUT',
        `change set ${id} of ${request.stack} is still ${out.Status} after ${Math.round(ctx.timeoutMs / 1000)}s`,
        'system',
      );
    }
    await pause(ctx, ctx.pollMs);
  }
}
