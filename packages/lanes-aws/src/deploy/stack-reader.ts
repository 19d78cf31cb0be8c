import { DescribeStacksCommand, type Stack, type StackStatus } from '@aws-sdk/client-cloudformation';
import { type AwsContext, callOptions } from './context.js';

/**
 * Stack tags the provider writes on every deploy, for people and cost reports. Rollback does not depend on them: a
 * pipeline run replaces the stack's tags with its template configuration's, so the previous revision lives in the
 * stack parameters `PreviousImageUri`/`PreviousEnvironment` (see `lane-revision.ts`); `lanes:previous-image` is read
 * only for stacks deployed before those parameters existed.
 */
export const TAGS = {
  image: 'lanes:image',
  label: 'lanes:label',
  previousImage: 'lanes:previous-image',
  previousLabel: 'lanes:previous-label',
} as const;

/** The stack, or undefined when there is none (by name: never created or deleted; by id: gone). */
export async function describeStack(ctx: AwsContext, nameOrId: string): Promise<Stack | undefined> {
  try {
    const out = await ctx.cloudformation.send(new DescribeStacksCommand({ StackName: nameOrId }), callOptions(ctx));
    return out.Stacks?.[0];
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
}

/** CloudFormation answers a missing stack with a ValidationError "Stack with id X does not exist". */
export function isStackMissing(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationError' && /does not exist/i.test(error.message);
}

export function statusOf(stack: Stack): StackStatus | string {
  return stack.StackStatus ?? 'UNKNOWN';
}

/**
 * Another operation runs on the stack: CloudFormation would refuse a change set now. REVIEW_IN_PROGRESS is not
 * one: it is a stack that only has change sets that were never executed.
 */
export function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** Statuses after which a change set can update the stack. */
const UPDATABLE = new Set<string>([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_FAILED',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

export function isUpdatable(status: string): boolean {
  return UPDATABLE.has(status);
}

/** What a user must do with a stack that can neither be updated nor simply recreated. */
export function unusableAdvice(stack: string, status: string): string {
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    return `finish its rollback first (aws cloudformation continue-update-rollback --stack-name ${stack}), then deploy again`;
  }
  return `delete the lane (lanes delete) and deploy again`;
}

export function parameterOf(stack: Stack | undefined, key: string): string | undefined {
  return stack?.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
}

/** Every parameter of the stack, by key. */
export function parametersOf(stack: Stack | undefined): Record<string, string | undefined> {
  return Object.fromEntries((stack?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue]));
}

export function tagOf(stack: Stack | undefined, key: string): string | undefined {
  return stack?.Tags?.find((t) => t.Key === key)?.Value;
}

export function stackIdOf(stack: Stack): string {
  return stack.StackId ?? stack.StackName ?? '';
}
