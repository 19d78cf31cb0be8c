/** How important an event is; the CLI shows `info` and above on a terminal and everything with `--verbose`. */
export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** One thing that happened during an operation. `code` is stable, for scripts and tests; `message` is for people. */
export interface LanesEvent {
  code: LanesEventCode;
  level: EventLevel;
  message: string;
  /** The lane the event is about, as `env/service/lane`, when it is about one. */
  lane?: string;
  data?: Record<string, unknown>;
  time: number;
}

/** Stable event codes. */
export const EVENT_CODES = [
  'OPERATION_STARTED',
  'OPERATION_RECOVERING',
  'OPERATION_RECOVERED',
  'REVISION_RECORDED',
  'REPLICA_STARTING',
  'REPLICA_HEALTHY',
  /** Progress while a new replica is not healthy yet (at most about once a second per replica). */
  'REPLICA_WAITING',
  'REPLICA_FAILED',
  'CIRCUIT_BREAKER_TRIPPED',
  'TRAFFIC_SHIFTED',
  'REPLICA_STOPPING',
  'REPLICA_STOPPED',
  'LANE_DELETED',
  'WEIGHTS_SET',
  'GATEWAY_STARTED',
  'GATEWAY_RELOADED',
  'GATEWAY_NOT_RUNNING',
  /** The nginx engine's process exited unasked (restarted, or `lanes up` fails once restarts are used up). */
  'GATEWAY_ENGINE_EXITED',
  'GATEWAY_ENGINE_RESTARTED',
  'SUPERVISOR_RESTARTED_REPLICA',
  'SUPERVISOR_ERROR',
  'ORPHAN_REPLICA_STOPPED',
  'REPLICA_UNHEALTHY',
  'CRASH_LOOP_BACKOFF',
  'CRASH_LOOP',
  'CRASH_LOOP_ROLLED_BACK',
  'CRASH_LOOP_ROLLBACK_FAILED',
  'PLATFORM_UP',
  /** The replica port range overlaps the kernel's ephemeral ports (a health check can connect to itself). */
  'PORT_RANGE_EPHEMERAL',
  'PLATFORM_DOWN',
  'ANALYSIS_STEP',
  'STACK_EVENT',
  'CHANGE_SET_CREATED',
  'CHANGE_SET_EMPTY',
  'STACK_RECREATING',
  'PIPELINE_STARTED',
  'STACK_WAIT_INTERRUPTED',
  'STACK_POLICY_SET',
] as const;
export type LanesEventCode = (typeof EVENT_CODES)[number];

/** The one channel through which the library reports (aws-cdk's IIoHost): the CLI renders, tests record. */
export interface IoHost {
  notify(event: LanesEvent): void;
}

/** An IoHost that drops everything, for callers that only want results. */
export const silentIoHost: IoHost = { notify: () => undefined };

/** Builds and sends one event. */
export function emit(
  io: IoHost,
  code: LanesEventCode,
  message: string,
  extra: { level?: EventLevel; lane?: string; data?: Record<string, unknown> } = {},
): void {
  const { level = 'info', ...about } = extra;
  io.notify({ code, level, message, ...about, time: Date.now() });
}
