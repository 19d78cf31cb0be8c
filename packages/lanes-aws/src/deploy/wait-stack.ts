import type { Stack } from '@aws-sdk/client-cloudformation';
import { LanesError } from '@lanes/core';
import { type AwsContext, pause } from './context.js';
import type { StackEventStream } from './stack-events.js';
import { describeStack, statusOf } from './stack-reader.js';

/** The stack's status while CloudFormation still works on it (including the cleanup after an update). */
function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/**
 * Waits until CloudFormation is done with the stack, reporting its events as they come. Looks the stack up by its
 * id (a deleted stack can only be described by id). Returns the final stack, or undefined when it is gone.
 */
export async function waitForStack(
  ctx: AwsContext,
  stackId: string,
  stream: StackEventStream,
  deadline: number,
): Promise<Stack | undefined> {
  for (;;) {
    const stack = await describeStack(ctx, stackId);
    await stream.poll();
    if (!stack || !isInProgress(statusOf(stack))) return stack;
    if (ctx.clock.now() >= deadline) {
      throw new LanesError(
        'AWS_TIMEOUT',
        `stack ${stack.StackName} is still ${statusOf(stack)} after ${Math.round(ctx.timeoutMs / 1000)}s; ` +
          'CloudFormation goes on with it: follow it with lanes status or in the CloudFormation console',
        'system',
      );
    }
    await pause(ctx, ctx.pollMs);
  }
}
