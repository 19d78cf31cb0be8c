import type { EventLevel, IoHost, LanesEventCode } from '@lanes/core';

/** The event codes the AWS provider sends (listed in core's `EVENT_CODES` too). */
export const AWS_EVENT_CODES = [
  /** One new CloudFormation stack event (a resource or the stack changed status). */
  'STACK_EVENT',
  /** A change set was created and is about to be executed. */
  'CHANGE_SET_CREATED',
  /** A change set had no changes: nothing to deploy; it was deleted again. */
  'CHANGE_SET_EMPTY',
  /** A lane's stack was in ROLLBACK_COMPLETE (its creation failed): it is deleted and created again. */
  'STACK_RECREATING',
  /** A pipeline run was started. */
  'PIPELINE_STARTED',
] as const;
export type AwsEventCode = (typeof AWS_EVENT_CODES)[number];

/** What `notify` needs: where events go and the clock that stamps them. */
export interface EventSink {
  io: IoHost;
  clock: { now(): number };
}

/** Sends one event; `code` is one of core's codes or one of `AWS_EVENT_CODES`. */
export function notify(
  sink: EventSink,
  code: AwsEventCode | LanesEventCode,
  message: string,
  extra: { level?: EventLevel; lane?: string; data?: Record<string, unknown> } = {},
): void {
  sink.io.notify({
    code,
    level: extra.level ?? 'info',
    message,
    lane: extra.lane,
    data: extra.data,
    time: sink.clock.now(),
  });
}
