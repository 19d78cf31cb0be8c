import { GetStackPolicyCommand, SetStackPolicyCommand } from '@aws-sdk/client-cloudformation';
import { type AwsContext, callOptions } from './context.js';
import { notify } from './deploy-events.js';

/**
 * Applies a stack policy with SetStackPolicy. CreateChangeSet and ExecuteChangeSet take no policy (only CreateStack
 * and UpdateStack do), so a deploy through change sets must set it itself: before executing an update when the
 * stack's policy (GetStackPolicy) differs, so that this very update is guarded, and right after a stack is created
 * (a policy guards updates only; a stack has none until one is set, and it can be replaced but never removed).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_SetStackPolicy.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
 */
export async function applyStackPolicy(
  ctx: AwsContext,
  target: { stack: string; stackId: string; lane: string },
  policy: object,
  knownAbsent: boolean,
): Promise<'set' | 'unchanged'> {
  const wanted = canonicalJson(policy);
  if (!knownAbsent) {
    const current = await ctx.cloudformation.send(
      new GetStackPolicyCommand({ StackName: target.stackId }),
      callOptions(ctx),
    );
    if (current.StackPolicyBody && canonicalJson(JSON.parse(current.StackPolicyBody)) === wanted) return 'unchanged';
  }
  await ctx.cloudformation.send(
    new SetStackPolicyCommand({ StackName: target.stackId, StackPolicyBody: wanted }),
    callOptions(ctx),
  );
  notify(ctx, 'STACK_POLICY_SET', `${target.stack}: stack policy set`, {
    lane: target.lane,
    data: { stack: target.stack, stackId: target.stackId },
  });
  return 'set';
}

/** JSON with object keys sorted at every level, so two policies compare by content. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
