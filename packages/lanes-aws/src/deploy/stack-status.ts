import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { parseAppStackName } from '@lanes/core';
import { type AwsContext, callOptions } from './context.js';
import type { AwsLaneStatus } from './results.js';
import { isBusy, parameterOf, statusOf, TAGS, tagOf } from './stack-reader.js';
import { recordedPreviousOf } from './stack-revision.js';

/**
 * The lanes of an env, one row per app stack `app-{service}--{env}--{lane}`, sorted by service and lane. Service,
 * env and lane are read back from the stack name (no part contains `--`, so it splits one way only), which also
 * lists the default lane, whose template has no `Lane` parameter; stacks deployed by the pipeline are listed too.
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
  const name = stack.StackName ?? '';
  const parts = parseAppStackName(name);
  if (!parts || parts.env !== env) return undefined;
  const { service, lane } = parts;
  // Both app templates take ServiceName and Env; only app-lane takes Lane. A stack whose parameters disagree with
  // its name is not one of ours.
  const laneParameter = parameterOf(stack, 'Lane');
  if (parameterOf(stack, 'ServiceName') !== service || parameterOf(stack, 'Env') !== env) return undefined;
  if (laneParameter !== undefined && laneParameter !== lane) return undefined;
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
