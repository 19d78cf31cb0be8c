import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { type AwsContext, callOptions } from './context.js';
import type { AwsLaneStatus } from './results.js';
import { isBusy, parameterOf, statusOf, TAGS, tagOf } from './stack-reader.js';
import { recordedPreviousOf } from './stack-revision.js';

/**
 * The lanes of an env, one row per app stack `app-{service}-{env}-{lane}`, sorted by service and lane. The service
 * and lane come from the stack's `ServiceName` and `Lane` parameters (names alone are ambiguous: both may contain
 * `-`), so stacks deployed by the pipeline are listed too.
 */
export async function listLaneStacks(ctx: AwsContext, env: string): Promise<AwsLaneStatus[]> {
  const rows: AwsLaneStatus[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.cloudformation.send(new DescribeStacksCommand({ NextToken: token }), callOptions(ctx));
    for (const stack of page.Stacks ?? []) {
      const row = laneRow(stack, env);
      if (row) rows.push(row);
    }
    token = page.NextToken;
  } while (token);
  return rows.sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

function laneRow(stack: Stack, env: string): AwsLaneStatus | undefined {
  const service = parameterOf(stack, 'ServiceName');
  const lane = parameterOf(stack, 'Lane');
  if (!service || !lane || parameterOf(stack, 'Env') !== env) return undefined;
  const name = `app-${service}-${env}-${lane}`;
  if (stack.StackName !== name) return undefined;
  const status = statusOf(stack);
  return {
    lane: `${env}/${service}/${lane}`,
    service,
    name: lane,
    stack: name,
    status,
    statusReason: stack.StackStatusReason,
    busy: isBusy(status),
    image: parameterOf(stack, 'ImageUri'),
    label: tagOf(stack, TAGS.label),
    previousImage: recordedPreviousOf(stack)?.image,
    lastUpdated: stack.LastUpdatedTime ?? stack.CreationTime,
  };
}
