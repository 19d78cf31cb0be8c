import { isDeepStrictEqual } from 'node:util';
import { LanesError } from '../errors.js';
import { emit } from '../io-host.js';
import { declaredService } from '../lane-checks.js';
import { runProblem } from '../local/index.js';
import type { RevisionSpec } from '../model.js';
import type { LaneKey, OperationKind } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import { type OpsContext, STEPS } from './context.js';
import { acknowledgeRecovery, findFinishedByRecovery, recoveredDeployResult } from './finished-by-recovery.js';
import { syncGateway } from './gateway-sync.js';
import { beginOperation, type LaneBusy, recoverStaleOperations } from './operation.js';
import { drainOldReplicas, shiftTraffic, startRevision } from './rolling-replace.js';

export type DeployResult =
  | {
      type: 'deployed';
      lane: string;
      revision: number;
      previousRevision: number | undefined;
      replicas: number;
      durationMs: number;
      /** Set when a killed command's operation, finished by recovery, already did what was asked (a retry). */
      finishedByRecovery?: { operationId: number; deadPid: number; message: string };
    }
  | LaneBusy
  | {
      type: 'reverted';
      lane: string;
      revision: number;
      /** The revision that keeps serving, or undefined when the lane was new and is gone again. */
      servingRevision: number | undefined;
      laneRemoved: boolean;
      reason: string;
      logTail: string[];
      message: string;
    };

/** What to deploy: a new revision (recorded now) or, for a rollback, one the lane already has. */
export interface DeployTarget {
  spec: RevisionSpec;
  /** An existing revision number of this lane; absent: record `spec` as a new revision. */
  revision?: number;
}

export interface DeployOptions {
  /** Weight of a lane created by this deploy. @default 0 (100 for default) */
  weight?: number;
  /** @default the service's replicas */
  replicas?: number;
  ttlMs?: number;
  /** The operation kind recorded (`rollback` deploys an earlier revision). @default 'deploy' */
  kind?: OperationKind;
}

/**
 * Deploys a revision to a lane with a rolling replace (see docs/architecture-local.md): new replicas start and pass
 * health checks while the old ones serve, traffic moves, the old ones drain and stop. A revision that keeps
 * failing trips the circuit breaker: the previous revision keeps serving (a new lane is removed again).
 */
export async function deployLane(
  ctx: OpsContext,
  key: LaneKey,
  target: DeployTarget,
  options: DeployOptions = {},
): Promise<DeployResult> {
  const kind = options.kind ?? 'deploy';
  if (kind === 'deploy') {
    // Before anything starts: a command or working directory that is not there would fail every start attempt.
    const problem = runProblem(target.spec.run);
    if (problem) throw new LanesError('LANES_RUN_NOT_STARTABLE', `${problem}; nothing was deployed`, 'user');
  }
  if (kind === 'deploy' && target.revision === undefined) {
    const retried = await deployFinishedByRecovery(ctx, key, target.spec);
    if (retried) return retried;
  }
  const begun = await beginOperation(ctx, kind, [key]);
  if (begun.type === 'busy') return begun;
  const operationId = begun.operation.id;
  try {
    const result = await deployLocked(ctx, operationId, key, target, options);
    ctx.store.finishOperation(
      operationId,
      result.type === 'deployed' ? 'succeeded' : 'reverted',
      result.type === 'reverted' ? result.reason : undefined,
    );
    return result;
  } catch (error) {
    ctx.store.finishOperation(operationId, 'failed', (error as Error).message);
    throw error;
  }
}

/**
 * A retried deploy: when a killed deploy of the same spec to this lane was finished by recovery and nothing changed
 * the lane since, the retry answers as that deploy (once) instead of replacing every replica for nothing.
 */
async function deployFinishedByRecovery(
  ctx: OpsContext,
  key: LaneKey,
  spec: RevisionSpec,
): Promise<DeployResult | undefined> {
  await recoverStaleOperations(ctx, [key]);
  const done = findFinishedByRecovery(ctx, 'deploy', key);
  const lane = ctx.store.getLane(key);
  const current = lane?.currentRevision ?? undefined;
  if (!done || !lane || current === undefined) return undefined;
  const recorded = done.operation.journal.find((step) => step.step === STEPS.revisionRecorded)?.data as
    | { revision?: number }
    | undefined;
  if (
    recorded?.revision !== current ||
    !isDeepStrictEqual(ctx.store.getRevision(key, current)?.spec, JSON.parse(JSON.stringify(spec)))
  ) {
    return undefined;
  }
  const answer = recoveredDeployResult(ctx, key, done);
  return answer && (await acknowledgeRecovery(ctx, done, key)) ? answer : undefined;
}

/** The body of a deploy, for callers that already hold the lane's lock (promote). */
export async function deployLocked(
  ctx: OpsContext,
  operationId: number,
  key: LaneKey,
  target: DeployTarget,
  options: DeployOptions,
): Promise<Exclude<DeployResult, LaneBusy>> {
  const { spec } = target;
  const started = Date.now();
  const lane = laneKeyString(key);
  const service = declaredService(ctx.project, key.service);
  const existing = ctx.store.getLane(key);
  const desired = options.replicas ?? existing?.desiredReplicas ?? service.replicas;
  if (!existing) {
    const weight = options.weight ?? (key.lane === 'default' ? 100 : 0);
    ctx.store.upsertLane({ ...key, weight, desiredReplicas: desired, ttlMs: options.ttlMs });
  } else if (options.replicas !== undefined || options.ttlMs !== undefined) {
    ctx.store.upsertLane({ ...existing, desiredReplicas: desired, ttlMs: options.ttlMs ?? existing.ttlMs });
  }
  const previousRevision = existing?.currentRevision ?? undefined;
  const revision = target.revision ?? ctx.store.addRevision(key, spec, operationId);
  ctx.store.appendStep(operationId, STEPS.revisionRecorded, { lane, revision });
  emit(ctx.io, 'REVISION_RECORDED', `${lane}: revision ${revision}${spec.label ? ` (${spec.label})` : ''}`, {
    lane,
    data: { revision, previousRevision },
  });
  const outcome = await startRevision(ctx, operationId, key, revision, spec, desired);
  if (outcome.type === 'tripped') {
    const laneRemoved = previousRevision === undefined;
    if (laneRemoved) {
      ctx.store.deleteLane(key);
      await syncGateway(ctx);
    }
    const keeps = laneRemoved
      ? `${lane} was new, so there is no earlier revision to go back to (as with ECS's circuit breaker): the lane was removed again`
      : `revision ${previousRevision} keeps serving ${lane}`;
    const message = `deploy of revision ${revision} to ${lane} failed and was reverted: ${outcome.reason}; ${keeps}`;
    return {
      type: 'reverted',
      lane,
      revision,
      servingRevision: previousRevision,
      laneRemoved,
      reason: outcome.reason,
      logTail: outcome.logTail,
      message,
    };
  }
  await shiftTraffic(ctx, operationId, key, revision);
  await drainOldReplicas(ctx, operationId, key);
  return {
    type: 'deployed',
    lane,
    revision,
    previousRevision,
    replicas: outcome.replicas.length,
    durationMs: Date.now() - started,
  };
}
