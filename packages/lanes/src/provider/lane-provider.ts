import type { AnalysisOptions, StepReport } from '../ops/canary-analysis.js';
import type { PlatformStatus } from '../ops/status.js';
import type { LaneKey } from '../state/types.js';
import type { ProviderCapabilities, ProviderFeature } from './capabilities.js';

/**
 * The seam between the lanes model and where lanes run (DESIGN "One provider contract"): the CLI parses, calls one
 * of these and renders the result by its `type`; a provider is a new implementation, not edits in every command.
 * Expected outcomes are results; bugs and unreachable backends throw (`LanesError` with its fault).
 */
export interface LaneProvider {
  /** `local`, `aws`. */
  readonly name: string;
  /** What this provider does, and for what it does not, the sentence it answers with. */
  readonly capabilities: ProviderCapabilities;
  /**
   * Whether deploy, rollback and delete stop waiting when their `signal` aborts (Ctrl-C) and answer with what is
   * still running. Where false, Ctrl-C ends the command as any signal does, and the next command recovers the lane.
   * @default false
   */
  readonly interruptible?: boolean;
  deploy(key: LaneKey, request: DeployRequest, options?: OperationOptions): Promise<ProviderDeployResult>;
  /** Weights of the service's lanes for untagged traffic (relative; lanes not named keep theirs). */
  route(service: string, weights: Record<string, number>): Promise<ProviderRouteResult>;
  /** Makes the lane the new default; with `analysis`, after a stepwise canary judged against default. */
  promote(key: LaneKey, options?: PromoteRequest): Promise<ProviderPromoteResult>;
  rollback(key: LaneKey, options?: OperationOptions): Promise<ProviderRollbackResult>;
  delete(key: LaneKey, options?: OperationOptions): Promise<ProviderDeleteResult>;
  status(request?: StatusRequest): Promise<ProviderStatusResult>;
  /** Sends the lane's log lines to `onLine`; with `follow`, until `signal` aborts. */
  logs(key: LaneKey, request: LogsRequest, onLine: (source: string, line: string) => void): Promise<ProviderLogsResult>;
}

/** What a deploy changes, on top of the project file. A provider refuses (`unsupported`) what it cannot apply. */
export interface DeployRequest {
  /** Environment variables for this revision. */
  set?: Record<string, string>;
  /** Another command (argv). */
  command?: string[];
  /** Another working folder (absolute). */
  cwd?: string;
  label?: string;
  /** The container image. */
  image?: string;
  replicas?: number;
  /** Weight of a new lane for untagged traffic. */
  weight?: number;
  ttlMs?: number;
}

/** What every long operation takes. */
export interface OperationOptions {
  /** Stops waiting (Ctrl-C) where the provider is `interruptible`. */
  signal?: AbortSignal | undefined;
}

export interface PromoteRequest {
  /**
   * Stepwise canary analysis before the promote; options not given take the provider's defaults
   * (`DEFAULT_ANALYSIS` locally). @default none: promote at once
   */
  analysis?: Partial<AnalysisOptions>;
  /** Stops an analysis (Ctrl-C): its traffic goes back to default and nothing is promoted. */
  signal?: AbortSignal | undefined;
}

export interface StatusRequest {
  /** Only this service's lanes. @default every service */
  service?: string;
}

export interface LogsRequest {
  /** How many of the last lines to print first, across the lane's replicas. */
  lines: number;
  /** Every replica the lane had, not only those of its current revision. @default false */
  all?: boolean;
  /** Only lines written at or after this time (epoch ms). */
  sinceMs?: number;
  follow: boolean;
  signal?: AbortSignal;
}

/** The provider cannot do this verb or option; `message` says why and what to do instead. */
export interface Unsupported {
  type: 'unsupported';
  provider: string;
  feature: ProviderFeature;
  message: string;
}

/** Another operation holds the lane; nothing was done. */
export interface Busy {
  type: 'busy';
  lane: string;
  message: string;
}

/** The request cannot be done as asked (nothing was changed); `message` says why. */
export interface Refused {
  type: 'refused';
  lane?: string;
  message: string;
}

export interface NotFound {
  type: 'not-found';
  lane: string;
  message: string;
}

/** The operation ran and failed; the backend undid what it could (a reverted rolling replace, a stack rollback). */
export interface Failed {
  type: 'failed' | 'reverted';
  lane: string;
  message: string;
  /** The last log lines of the replica that failed, when the provider has them. */
  logTail?: string[];
}

/** Outcomes every verb may have. */
export type Refusal = Unsupported | Busy | Refused | NotFound;

/** What a change that moves traffic says about who serves it. */
export interface ServingNote {
  /**
   * False when the change is recorded but nothing serves it: the local platform (`lanes up`) is not running.
   * Absent when the provider serves what it records.
   */
  platformRunning?: boolean;
}

export interface Deployed extends ServingNote {
  type: 'deployed';
  lane: string;
  durationMs: number;
  message: string;
}

export interface NoChange {
  type: 'no-change';
  lane: string;
  message: string;
}

export type ProviderDeployResult = Deployed | NoChange | Failed | Refusal;

export type ProviderRollbackResult = ProviderDeployResult | { type: 'no-previous'; lane: string; message: string };

export type ProviderRouteResult =
  | ({
      type: 'routed';
      service: string;
      /** Each named lane's share of untagged traffic, 0..1. */
      shares: Record<string, number>;
      message: string;
    } & ServingNote)
  | Failed
  | Refusal;

/** A canary analysis that stopped before promoting: a failing step (traffic went back) or nothing judged. */
export interface Aborted {
  type: 'aborted';
  lane: string;
  steps: StepReport[];
  reason: string;
  message: string;
}

export type ProviderPromoteResult =
  | ({
      type: 'promoted';
      lane: string;
      message: string;
      /** The analysis steps, when the promote was analyzed. */
      steps?: StepReport[];
    } & ServingNote)
  | Aborted
  | (Failed & { steps?: StepReport[] })
  | Refusal;

export type ProviderDeleteResult =
  | {
      type: 'deleted';
      lane: string;
      message: string;
      /** The lane is declared in the project file, so the next `lanes up` deploys it again (local provider). */
      declared?: boolean;
    }
  | Failed
  | Refusal;

/** The local platform: live numbers from the gateway and the replicas. */
export interface PlatformStatusResult extends PlatformStatus {
  type: 'platform';
}

/** One lane as a deployment unit (a CloudFormation stack) sees it. */
export interface StackLaneStatus {
  /** `env/service/lane` */
  lane: string;
  service: string;
  name: string;
  stack: string;
  status: string;
  busy: boolean;
  image: string | undefined;
  label: string | undefined;
}

export interface StacksStatusResult {
  type: 'stacks';
  provider: string;
  env: string;
  lanes: StackLaneStatus[];
}

export type ProviderStatusResult = PlatformStatusResult | StacksStatusResult | Unsupported;

export type ProviderLogsResult = { type: 'done'; lane: string; sources: number } | Unsupported | NotFound;

/** Any result of the contract: what a CLI renders by its `type`. */
export type ProviderResult =
  | ProviderDeployResult
  | ProviderRollbackResult
  | ProviderRouteResult
  | ProviderPromoteResult
  | ProviderDeleteResult
  | ProviderStatusResult
  | ProviderLogsResult;
