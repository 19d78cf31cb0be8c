import { LanesError } from '@lanes/core';
import { discardChangeSet } from './busy.js';
import type { AwsContext } from './context.js';
import { notify } from './deploy-events.js';
import { describeStack, statusOf } from './stack-reader.js';

/** Whether an error is the operation's own abort (Ctrl-C), as the SDK, timers or `throwIfAborted` report it. */
export function isAbort(ctx: AwsContext, error: unknown): boolean {
  return ctx.signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** The CloudFormation console page of a stack's events. */
export function consoleEventsUrl(region: string, stackId: string): string {
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/events?stackId=${encodeURIComponent(stackId)}`;
}

/**
 * What to say when the user stops an operation: a change set that was not executed yet is deleted (nothing
 * changed); an executed change set or a deletion goes on in CloudFormation, so the answer says where it stands and
 * how to watch it. Reported as the event `STACK_WAIT_INTERRUPTED` and returned as a user error `AWS_INTERRUPTED`.
 */
export async function interruptedError(ctx: AwsContext): Promise<LanesError> {
  const quiet: AwsContext = { ...ctx, signal: undefined };
  const { lane, stack, stackId, pendingChangeSet, running } = ctx.progress;
  const discarded = pendingChangeSet ? await discardChangeSet(quiet, pendingChangeSet) : undefined;
  const region = await ctx.cloudformation.config.region().catch(() => undefined);
  let message: string;
  let status: string | undefined;
  if (running && stack) {
    const now = await describeStack(quiet, stackId ?? stack).catch(() => undefined);
    status = now ? statusOf(now) : running.action === 'delete' ? 'DELETE_COMPLETE' : 'UNKNOWN';
    const what = running.action === 'delete' ? 'deletion' : `change set ${running.changeSet ?? ''}`.trim();
    const watch = `aws cloudformation describe-stack-events --stack-name ${stack}${region ? ` --region ${region}` : ''}`;
    const link = region && stackId ? ` or ${consoleEventsUrl(region, stackId)}` : '';
    message = `interrupted: stopped waiting, but CloudFormation goes on with the ${what} of ${stack} (now ${status}); watch it with \`${watch}\`${link}, or lanes status --provider aws`;
  } else if (pendingChangeSet && stack) {
    message = discarded
      ? `interrupted before ${stack} changed: change set ${pendingChangeSet.name} deleted, nothing was deployed`
      : `interrupted before ${stack} changed, but its change set ${pendingChangeSet.name} could not be deleted: delete it (aws cloudformation delete-change-set --stack-name ${stack} --change-set-name ${pendingChangeSet.name})`;
  } else {
    message = `interrupted before anything was sent to CloudFormation${stack ? ` for ${stack}` : ''}: nothing changed`;
  }
  notify(ctx, 'STACK_WAIT_INTERRUPTED', message, {
    level: 'warn',
    ...(lane ? { lane } : {}),
    data: {
      stack,
      stackId,
      status,
      changeSet: running?.changeSet ?? pendingChangeSet?.name,
      stillRunning: running?.action,
      changeSetDeleted: discarded,
    },
  });
  return new LanesError('AWS_INTERRUPTED', message, 'user');
}
