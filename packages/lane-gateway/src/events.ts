import type { ConfigIssue } from './errors.js';

/** How the lane of a request was chosen. */
export const LANE_CHOICES = ['tag', 'weight', 'sticky', 'default', 'fallback'] as const;
export type LaneChoice = (typeof LANE_CHOICES)[number];

export interface ListeningEvent {
  event: 'listening';
  url: string;
  adminUrl: string;
  workers: number;
}

export interface ReloadedEvent {
  event: 'reloaded';
  source: ReloadSource;
  services: number;
  /** Settings that only take effect after a restart (listen and admin addresses, workers). */
  ignored: string[];
}

export interface ReloadFailedEvent {
  event: 'reload-failed';
  source: ReloadSource;
  message: string;
  issues: readonly ConfigIssue[];
}

export interface ReplicaHealthEvent {
  event: 'replica-health';
  replica: string;
  healthy: boolean;
  /** `check` for the active health check, `passive` for failures seen while proxying. */
  via: 'check' | 'passive';
  reason: string;
}

export interface AccessEvent {
  event: 'access';
  time: string;
  method: string;
  path: string;
  service: string;
  lane: string;
  /** The lane the request asked for, when it came with a tag. */
  requestedLane: string | undefined;
  choice: LaneChoice;
  replica: string | undefined;
  status: number;
  durationMs: number;
  /** Set when the gateway answered itself or the exchange broke. */
  error: string | undefined;
}

/** A traced chain arrived at a service without the lane its earlier hops carried (rate-limited per process). */
export interface LaneLeakEvent {
  event: 'lane-leak';
  time: string;
  traceId: string;
  /** The service of the trace's previous hop, which called without the lane. */
  from: string;
  to: string;
  /** The lane the chain carried before. */
  lane: string;
  /** The lane this hop carried instead, if any. */
  carried: string | undefined;
  /** Leaks counted but not logged since the previous line, because of the rate limit. */
  suppressed: number;
}

/** The data-plane process (nginx) exited without being asked to. */
export interface EngineExitedEvent {
  event: 'engine-exited';
  engine: 'nginx';
  pid: number;
  code: number | null;
  signal: string | null;
  /** Restarts within the restart policy's window before this exit. */
  restarts: number;
  /** When the next start is tried; undefined when the policy gives up (then the gateway has failed). */
  restartInMs: number | undefined;
}

/** The data-plane process was started again and answers on the same port with the configuration in force. */
export interface EngineRestartedEvent {
  event: 'engine-restarted';
  engine: 'nginx';
  pid: number;
  /** Restarts within the restart policy's window, this one included. */
  restarts: number;
}

export interface GatewayErrorEvent {
  event: 'error';
  message: string;
}

export type ReloadSource = 'admin' | 'file' | 'api' | 'signal';

export type GatewayEvent =
  | ListeningEvent
  | ReloadedEvent
  | ReloadFailedEvent
  | ReplicaHealthEvent
  | AccessEvent
  | LaneLeakEvent
  | EngineExitedEvent
  | EngineRestartedEvent
  | GatewayErrorEvent;

/** The one channel through which the gateway library reports; the CLI renders it, tests spy on it. */
export type GatewayEventSink = (event: GatewayEvent) => void;
