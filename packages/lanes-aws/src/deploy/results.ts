import type { FailedResource } from './stack-events.js';

/**
 * The lane's stack is in the middle of another operation (`*_IN_PROGRESS`): refused at once, or given up when another
 * operation reached the stack while this one prepared its change set (the change set is deleted again).
 */
export interface AwsLaneBusy {
  type: 'busy';
  lane: string;
  stack: string;
  /** What CloudFormation is doing with the stack, as far as it said (`UNKNOWN` when it did not). */
  stackStatus: string;
  /** How the clash showed when it came after the first look at the stack; undefined when the stack was busy then. */
  cause?: string | undefined;
  message: string;
}

/** The answer for a lane whose stack is `*_IN_PROGRESS` (or was taken by another operation, `cause`). */
export function busyResult(lane: string, stack: string, status: string, cause?: string): AwsLaneBusy {
  const because = cause ? ` (${cause})` : '';
  return {
    type: 'busy',
    lane,
    stack,
    stackStatus: status,
    ...(cause ? { cause } : {}),
    message: `lane ${lane} is busy: its stack ${stack} is ${status}${because}; try again when it is done (lanes status --provider aws)`,
  };
}

/** A CloudFormation operation on the lane's stack failed. */
export interface AwsLaneFailed {
  type: 'failed';
  lane: string;
  stack: string;
  /** `change-set`: CloudFormation could not compute the change set (nothing was touched); `execute`: it ran. */
  phase: 'change-set' | 'execute' | 'delete';
  /** The stack's final status (or the change set's, in the `change-set` phase). */
  status: string;
  /** The first resource that failed; undefined when CloudFormation named none. */
  resource: FailedResource | undefined;
  /** Whether CloudFormation rolled the stack back to what it was before. */
  rolledBack: boolean;
  reason: string;
  message: string;
}

export interface AwsLaneNotFound {
  type: 'not-found';
  lane: string;
  stack: string;
  message: string;
}

/** The operation would break something or cannot run on the stack as it is; `reason` says which case. */
export interface AwsLaneRefused {
  type: 'refused';
  lane: string;
  reason: 'default-lane' | 'imported' | 'stack-unusable' | 'not-promotable';
  /** For `imported`: each export of the lane's stack that other stacks import, with the importing stacks. */
  importers?: { exportName: string; stacks: string[] }[];
  message: string;
}

export type AwsDeployResult =
  | {
      type: 'deployed';
      lane: string;
      stack: string;
      stackId: string;
      image: string;
      /** The revision's container environment (`run.env` and the port variable). */
      environment: Record<string, string>;
      /** The image the stack ran before (what `rollback` goes back to). */
      previousImage: string | undefined;
      changeSetType: 'CREATE' | 'UPDATE';
      /** The stack was in ROLLBACK_COMPLETE and was deleted and created again. */
      recreated: boolean;
      status: string;
      durationMs: number;
    }
  | { type: 'no-change'; lane: string; stack: string; image: string; message: string }
  | AwsLaneBusy
  | AwsLaneFailed
  | AwsLaneRefused;

export type AwsRollbackResult =
  | AwsDeployResult
  | AwsLaneNotFound
  | { type: 'no-previous'; lane: string; message: string };

export type AwsDeleteResult =
  | { type: 'deleted'; lane: string; stack: string; durationMs: number }
  | AwsLaneNotFound
  | AwsLaneRefused
  | AwsLaneBusy
  | AwsLaneFailed;

export type AwsPromoteResult =
  | {
      type: 'promoted';
      lane: string;
      image: string;
      /** `no-change` when the default lane already ran the image. */
      defaultUpdate: 'deployed' | 'no-change';
      durationMs: number;
    }
  | AwsLaneNotFound
  | AwsLaneRefused
  | AwsLaneBusy
  | AwsLaneFailed;

/** One lane's stack, as `lanes status --provider aws` shows it. */
export interface AwsLaneStatus {
  /** `env/service/lane` */
  lane: string;
  service: string;
  name: string;
  stack: string;
  status: string;
  statusReason: string | undefined;
  busy: boolean;
  image: string | undefined;
  label: string | undefined;
  previousImage: string | undefined;
  lastUpdated: Date | undefined;
}

export type PipelineStartResult =
  | { type: 'started'; pipeline: string; executionId: string }
  | { type: 'not-found'; pipeline: string; message: string };
