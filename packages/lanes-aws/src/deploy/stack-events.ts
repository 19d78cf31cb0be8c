import { DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { type AwsContext, callOptions } from './context.js';
import { notify } from './deploy-events.js';

/** The resource that made an operation fail, as CloudFormation reported it. */
export interface FailedResource {
  logicalId: string;
  type: string;
  status: string;
  reason: string;
  physicalId: string | undefined;
}

/**
 * Slack when comparing CloudFormation's timestamps with the local clock: the boundary that matters is the newest
 * event seen when the stream was primed; the clock only stops a stack's older history from being paged through.
 */
const CLOCK_SKEW_MS = 60_000;

/** A failure CloudFormation reports on resources it stopped because another one failed: not the cause. */
const CANCELLED = /^Resource (creation|update|deletion) cancelled/i;

/**
 * The events of one stack that happen during one operation, each reported once, oldest first. DescribeStackEvents
 * answers newest first, one page at a time: each `poll` reads pages until it reaches an event already seen (or one
 * from before the operation), then reports the new ones in chronological order.
 */
export class StackEventStream {
  private readonly seen = new Set<string>();
  private readonly reported: StackEvent[] = [];
  private readonly cutoff: number;

  constructor(
    private readonly ctx: AwsContext,
    private readonly stackId: string,
    private readonly lane: string,
    started: number,
  ) {
    this.cutoff = started - CLOCK_SKEW_MS;
  }

  /** Marks the stack's history so far as old: only later events are reported. */
  async prime(): Promise<void> {
    const page = await this.ctx.cloudformation.send(
      new DescribeStackEventsCommand({ StackName: this.stackId }),
      callOptions(this.ctx),
    );
    for (const event of page.StackEvents ?? []) if (event.EventId) this.seen.add(event.EventId);
  }

  /** Reports the events that appeared since the last poll; returns them, oldest first. */
  async poll(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    pages: do {
      const page = await this.ctx.cloudformation.send(
        new DescribeStackEventsCommand({ StackName: this.stackId, NextToken: token }),
        callOptions(this.ctx),
      );
      for (const event of page.StackEvents ?? []) {
        if (this.isOld(event)) break pages;
        fresh.push(event);
      }
      token = page.NextToken;
    } while (token);
    fresh.reverse();
    for (const event of fresh) {
      if (event.EventId) this.seen.add(event.EventId);
      this.reported.push(event);
      this.report(event);
    }
    return fresh;
  }

  /** Every event reported so far, oldest first. */
  get events(): readonly StackEvent[] {
    return this.reported;
  }

  /**
   * The first resource that failed during the operation: the cause, not the resources CloudFormation cancelled
   * because of it (unless those are all there is).
   */
  firstFailure(): FailedResource | undefined {
    const failures = this.reported.filter((e) => e.ResourceStatus?.endsWith('_FAILED') && !this.isStackItself(e));
    const cause = failures.find((e) => !CANCELLED.test(e.ResourceStatusReason ?? '')) ?? failures[0];
    if (!cause) return undefined;
    return {
      logicalId: cause.LogicalResourceId ?? '?',
      type: cause.ResourceType ?? '?',
      status: cause.ResourceStatus ?? '?',
      reason: cause.ResourceStatusReason ?? '(no reason given)',
      physicalId: cause.PhysicalResourceId || undefined,
    };
  }

  private isOld(event: StackEvent): boolean {
    if (event.EventId && this.seen.has(event.EventId)) return true;
    return event.Timestamp !== undefined && event.Timestamp.getTime() < this.cutoff;
  }

  private isStackItself(event: StackEvent): boolean {
    return event.ResourceType === 'AWS::CloudFormation::Stack' && event.LogicalResourceId === event.StackName;
  }

  private report(event: StackEvent): void {
    const status = event.ResourceStatus ?? '?';
    const reason = event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : '';
    const failed = status.endsWith('_FAILED');
    notify(this.ctx, 'STACK_EVENT', `${event.LogicalResourceId} (${event.ResourceType}) ${status}${reason}`, {
      level: failed ? 'warn' : 'info',
      lane: this.lane,
      data: {
        stack: event.StackName,
        eventId: event.EventId,
        logicalId: event.LogicalResourceId,
        physicalId: event.PhysicalResourceId,
        resourceType: event.ResourceType,
        status,
        reason: event.ResourceStatusReason,
        timestamp: event.Timestamp?.toISOString(),
      },
    });
  }
}
