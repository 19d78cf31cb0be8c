import { DeleteChangeSetCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { type AwsContext, callOptions } from './context.js';
import { type AwsLaneBusy, busyResult } from './results.js';
import { describeStack, isBusy, statusOf } from './stack-reader.js';

/**
 * What CloudFormation answers when another operation got to the stack between our look at it and our change set
 * (two deploys of one lane at once): the stack is `*_IN_PROGRESS` ("Stack:arn... is in UPDATE_IN_PROGRESS state and
 * can not be updated."), the change set became OBSOLETE because another one was executed
 * (InvalidChangeSetStatus: "ChangeSet [arn] cannot be executed in its current execution status of [OBSOLETE]"),
 * was deleted with it (ChangeSetNotFound), or the stack was created meanwhile (AlreadyExistsException).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ExecuteChangeSet.html#API_ExecuteChangeSet_Errors
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html#API_CreateChangeSet_Errors
 */
export interface BusyCause {
  /** The stack status named in CloudFormation's message, when it names one. */
  status: string | undefined;
  /** What happened, in words. */
  cause: string;
}

const IN_PROGRESS = /is in ([A-Z_]+_IN_PROGRESS) state/;

/** The busy cause in a change set's failure reason (CloudFormation can also fail the change set itself). */
export function busyReason(reason: string): BusyCause | undefined {
  const status = IN_PROGRESS.exec(reason)?.[1];
  if (status && status !== 'REVIEW_IN_PROGRESS') return { status, cause: `CloudFormation answered: ${reason}` };
  return undefined;
}

/** The busy cause of a CreateChangeSet/DescribeChangeSet/ExecuteChangeSet error, or undefined for other errors. */
export function busyError(error: unknown): BusyCause | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = error.message.replace(/\s+/g, ' ').trim();
  switch (error.name) {
    case 'ValidationError':
      return busyReason(message);
    case 'InvalidChangeSetStatus':
    case 'InvalidChangeSetStatusException':
      return {
        status: undefined,
        cause: `the change set can no longer run: another operation reached the stack first (${message})`,
      };
    case 'ChangeSetNotFound':
    case 'ChangeSetNotFoundException':
      return { status: undefined, cause: `the change set is gone: another operation replaced it (${message})` };
    case 'AlreadyExistsException':
    case 'TokenAlreadyExistsException':
      return { status: undefined, cause: `another deploy got there first (${message})` };
    default:
      return undefined;
  }
}

/**
 * Deletes a change set the operation created and will not execute. Never throws and is not aborted by the
 * operation's signal: it runs when giving up, also after Ctrl-C. Returns whether it is gone.
 */
export async function discardChangeSet(ctx: AwsContext, changeSet: { id: string; stackId: string }): Promise<boolean> {
  try {
    await ctx.cloudformation.send(
      new DeleteChangeSetCommand({ ChangeSetName: changeSet.id, StackName: changeSet.stackId }),
    );
    return true;
  } catch (error) {
    // Executing another change set deletes all the others: a missing one is gone as wanted.
    return error instanceof Error && /ChangeSetNotFound/.test(error.name);
  } finally {
    if (ctx.progress.pendingChangeSet?.id === changeSet.id) ctx.progress.pendingChangeSet = undefined;
  }
}

/** The `busy` answer for a lane whose change set met another operation, with the stack's status now. */
export async function busyNow(ctx: AwsContext, lane: string, stack: string, busy: BusyCause): Promise<AwsLaneBusy> {
  const now = await describeStack(ctx, stack).catch(() => undefined);
  const status = now && isBusy(statusOf(now)) ? statusOf(now) : (busy.status ?? (now ? statusOf(now) : 'UNKNOWN'));
  return busyResult(lane, stack, status, busy.cause);
}

/**
 * Executes a computed change set; when another operation got to the stack first, deletes it again and answers
 * `busy` (undefined: executing).
 */
export async function executeChangeSet(
  ctx: AwsContext,
  changeSet: { id: string; name: string; stackId: string },
  stack: string,
  lane: string,
): Promise<AwsLaneBusy | undefined> {
  try {
    const command = { ChangeSetName: changeSet.id, StackName: stack, ClientRequestToken: changeSet.name };
    await ctx.cloudformation.send(new ExecuteChangeSetCommand(command), callOptions(ctx));
    return undefined;
  } catch (error) {
    const busy = busyError(error);
    if (!busy) throw error;
    await discardChangeSet(ctx, changeSet);
    return busyNow(ctx, lane, stack, busy);
  }
}
