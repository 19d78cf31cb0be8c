import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emit } from '../io-host.js';
import type { Project } from '../model.js';
import type { LaneKey, LaneRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { Alarm } from './alarms.js';
import { ALARMS } from './alarms.js';
import type { OpsContext } from './context.js';
import { type CrashLoopRecord, decideRestart, describeCrashLoop, shortDuration } from './crash-loop-policy.js';
import { syncGateway } from './gateway-sync.js';
import { retireReplicas } from './replica-ops.js';
import { rollbackLane } from './rollback.js';
import { servingReplicas } from './serving-replicas.js';

/** A record is a few hundred bytes; anything much larger is not ours. */
const MAX_RECORD_BYTES = 64 * 1024;

/**
 * One small file per lane in the state folder, written atomically by the supervisor and read by `status` and the
 * gateway config render (a file rather than a table: it is the supervisor's memory, not part of the operation log).
 */
function recordFile(project: Project, key: LaneKey): string {
  return join(project.stateDir, 'crash-loop', `${key.env}.${key.service}.${key.lane}.json`);
}

export function readCrashLoopRecord(project: Project, key: LaneKey): CrashLoopRecord | undefined {
  try {
    const text = readFileSync(recordFile(project, key), 'utf8');
    if (text.length > MAX_RECORD_BYTES) return undefined;
    const record = JSON.parse(text) as CrashLoopRecord;
    return Number.isInteger(record.revision) && Array.isArray(record.restarts) ? record : undefined;
  } catch {
    return undefined; // none yet, or unreadable: the lane starts with a clean slate
  }
}

function writeCrashLoopRecord(project: Project, key: LaneKey, record: CrashLoopRecord): void {
  const file = recordFile(project, key);
  mkdirSync(join(project.stateDir, 'crash-loop'), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(record)}\n`);
  renameSync(temp, file);
}

/** Forgets a lane's record (the lane is deleted). */
export function clearCrashLoopRecord(project: Project, key: LaneKey): void {
  rmSync(recordFile(project, key), { force: true });
}

/** Whether the lane's current revision was declared crash-looping: the gateway then leaves the lane out. */
export function isOutOfRotation(project: Project, lane: LaneRecord): boolean {
  const record = readCrashLoopRecord(project, lane);
  return record?.state === 'unhealthy' && record.revision === lane.currentRevision;
}

/** What `lanes status` says about the lane's restarts, and the CRASH_LOOP alarm while it is out of rotation. */
export function crashLoopStatus(project: Project, lane: LaneRecord): { text: string | undefined; alarms: Alarm[] } {
  const spec = project.services[lane.service]?.crashLoop;
  if (!spec) return { text: undefined, alarms: [] };
  const record = readCrashLoopRecord(project, lane);
  const text = describeCrashLoop(spec, record, lane.currentRevision ?? undefined, Date.now());
  const alarms: Alarm[] = isOutOfRotation(project, lane)
    ? [{ code: ALARMS.crashLoop, message: `revision ${record!.revision}: ${text?.replace(', alarm CRASH_LOOP', '')}` }]
    : [];
  return { text, alarms };
}

/**
 * Whether a pass would restart (or declare the loop) now. A lane that is held or backing off and has no newly dead
 * replica to record is left alone without taking its lock, so the supervisor does not log an operation per pass.
 */
export function restartDue(ctx: OpsContext, lane: LaneRecord, revision: number): boolean {
  const spec = ctx.project.services[lane.service]?.crashLoop;
  if (!spec) return true;
  const type = decideRestart(spec, readCrashLoopRecord(ctx.project, lane), revision, Date.now(), false).type;
  return type !== 'back-off' && type !== 'held';
}

/** The supervisor's verdict for a lane short of replicas, under the lane's lock. */
export type RestartGate = { type: 'restart' } | { type: 'wait' } | { type: 'looped'; rollback: boolean };

/**
 * Asks the lane's crash-loop policy whether the supervisor may restart replicas now. On a crash loop, the lane's
 * remaining replicas of that revision are stopped, the gateway config leaves the lane out (so its tagged traffic
 * follows whenLaneDown) and CRASH_LOOP is raised.
 */
export async function crashLoopGate(
  ctx: OpsContext,
  lane: LaneRecord,
  revision: number,
  died: boolean,
): Promise<RestartGate> {
  const spec = ctx.project.services[lane.service]?.crashLoop;
  if (!spec) return { type: 'restart' };
  const name = laneKeyString(lane);
  const decision = decideRestart(spec, readCrashLoopRecord(ctx.project, lane), revision, Date.now(), died);
  if (decision.type === 'held') return { type: 'wait' };
  if (decision.type === 'fill') return { type: 'restart' };
  writeCrashLoopRecord(ctx.project, lane, decision.record);
  const count = decision.record.restarts.length;
  if (decision.type === 'back-off') {
    emit(
      ctx.io,
      'CRASH_LOOP_BACKOFF',
      `${name}: ${count} restarts in ${shortDuration(spec.windowMs)}, backing off ${shortDuration(decision.waitMs)}`,
      {
        level: 'debug',
        lane: name,
        data: { restarts: count, waitMs: decision.waitMs },
      },
    );
    return { type: 'wait' };
  }
  if (decision.type === 'restart') return { type: 'restart' };
  await retireReplicas(ctx, servingReplicas(ctx.store, lane));
  await syncGateway(ctx); // said once in effect: the gateway already leaves the lane out
  emit(
    ctx.io,
    'CRASH_LOOP',
    `${name}: revision ${revision} crash-loops (${count} restarts in ${shortDuration(spec.windowMs)}): out of rotation, alarm CRASH_LOOP${spec.onLoop === 'rollback' ? ', rolling back' : ''}`,
    { level: 'error', lane: name, data: { revision, restarts: count, onLoop: spec.onLoop } },
  );
  return { type: 'looped', rollback: spec.onLoop === 'rollback' };
}

/** After the restart the gate allowed: once every replacement is healthy, no death is owed any more. */
export function restartSettled(ctx: OpsContext, lane: LaneRecord, revision: number, allHealthy: boolean): void {
  const record = readCrashLoopRecord(ctx.project, lane);
  if (!allHealthy || record?.revision !== revision || record.pending !== true) return;
  writeCrashLoopRecord(ctx.project, lane, { ...record, pending: false });
}

/**
 * `onLoop: "rollback"`: the same rollback as `lanes rollback` (under its own lock, after the supervisor released
 * the lane). A rollback that cannot happen leaves the lane out of rotation, and says why in `status`.
 */
export async function rollbackAfterCrashLoop(ctx: OpsContext, key: LaneKey, revision: number): Promise<void> {
  const name = laneKeyString(key);
  const result = await rollbackLane(ctx, key);
  const record = readCrashLoopRecord(ctx.project, key);
  if (!record || record.revision !== revision) return;
  if (result.type === 'deployed') {
    writeCrashLoopRecord(ctx.project, key, { ...record, state: 'rolled-back', rolledBackTo: result.revision });
    emit(
      ctx.io,
      'CRASH_LOOP_ROLLED_BACK',
      `${name}: rolled back to revision ${result.revision} after a crash loop of revision ${revision}`,
      {
        level: 'warn',
        lane: name,
        data: { from: revision, to: result.revision },
      },
    );
    return;
  }
  const problem = result.message;
  writeCrashLoopRecord(ctx.project, key, { ...record, rollbackProblem: problem });
  emit(ctx.io, 'CRASH_LOOP_ROLLBACK_FAILED', `${name}: no automatic rollback after the crash loop: ${problem}`, {
    level: 'error',
    lane: name,
  });
}
