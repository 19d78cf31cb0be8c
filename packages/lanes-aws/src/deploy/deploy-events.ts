import type { EventLevel, IoHost, LanesEventCode } from '@lanes/core';

/** The event codes the AWS provider sends (listed in core's `EVENT_CODES` too). */
export const AWS_EVENT_CODES = [
  'STACK_EVENT',
  'CHANGE_SET_CREATED',
  'CHANGE_SET_EMPTY',
  'STACK_RECREATING',
  'PIPELINE_STARTED',
  'STACK_WAIT_INTERRUPTED',
  'STACK_POLICY_SET',
] as const satisfies readonly LanesEventCode[];
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
  const { level = 'info', ...about } = extra;
  sink.io.notify({ code, level, message, ...about, time: sink.clock.now() });
}
