import { emit } from '../io-host.js';
import type { LaneKey, OperationKind, OperationRecord } from '../state/types.js';
import { laneKeyString } from '../state/types.js';
import type { OpsContext } from './context.js';
import { type Recovered, recoverOperation } from './recover.js';

/** Another live command holds a lane: the expected outcome "refused", not an exception. */
export interface LaneBusy {
  type: 'busy';
  lane: string;
  holder: { operationId: number; kind: string; pid: number; startedAt: number };
  message: string;
}

export type Begun = { type: 'started'; operation: OperationRecord; recovered: Recovered[] } | LaneBusy;

function busy(laneKey: LaneKey, holder: LaneBusy['holder']): LaneBusy {
  const seconds = Math.max(0, Math.round((Date.now() - holder.startedAt) / 1000));
  const lane = laneKeyString(laneKey);
  const message = `lane ${lane} is busy: ${holder.kind} #${holder.operationId} (pid ${holder.pid}) started ${seconds}s ago; try again when it is done`;
  return { type: 'busy', lane, holder, message };
}

/**
 * Locks the lanes for an operation. A lock left by a command that died is recovered first (its operation finished or
 * undone from its journal), then the lock is taken; a lock held by a live command is refused at once. `recovered`
 * lists what this call recovered on the way.
 */
export async function beginOperation(ctx: OpsContext, kind: OperationKind, keys: LaneKey[]): Promise<Begun> {
  const recovered: Recovered[] = [];
  const waitUntil = Date.now() + RECOVERY_WAIT_MS;
  for (let attempt = 0; attempt < 10; ) {
    const result = ctx.store.beginOperation(kind, keys);
    if (result.type === 'started') {
      emit(ctx.io, 'OPERATION_STARTED', `${kind} #${result.operation.id} started`, {
        level: 'debug',
        data: { operation: result.operation.id, lanes: keys.map(laneKeyString) },
      });
      return { ...result, recovered };
    }
    let holder: LaneBusy['holder'];
    if (result.type === 'busy') holder = result.holder;
    else {
      const taken = ctx.store.takeOverOperation(result.operation.id);
      if (taken.type !== 'busy') {
        // 'finished': another command recovered it meanwhile; either way, try to begin again.
        if (taken.type === 'taken') recovered.push(await recoverOperation(ctx, taken.operation, taken.from));
        attempt++;
        continue;
      }
      holder = taken.holder;
    }
    // A lock held by another process's recovery of a killed command (the supervisor, usually) is released within
    // seconds: wait for it, so a command retried after a kill is not refused as busy by the cleanup of that kill.
    if (isBeingRecovered(ctx, holder.operationId) && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    return busy(result.laneKey, holder);
  }
  throw new Error(`could not lock ${keys.map(laneKeyString).join(', ')} after recovering 10 stale operations`);
}

/** How long a command waits for another process's recovery of a lane's killed operation before it says busy. */
const RECOVERY_WAIT_MS = 60_000;

/** Whether a running operation is the recovery of a killed one (taken over from its dead holder). */
function isBeingRecovered(ctx: OpsContext, operationId: number): boolean {
  const operation = ctx.store.getOperation(operationId);
  return operation?.status === 'running' && operation.journal.some((step) => step.step === 'taken-over');
}

/**
 * Recovers every running operation whose holder died (on `keys`' lanes only, when given), without starting one of
 * its own: what the supervisor does on each pass, so a killed CLI never leaves a lane unsupervised until the next
 * command, and what a command does before it reads a lane's state.
 */
export async function recoverStaleOperations(ctx: OpsContext, keys?: readonly LaneKey[]): Promise<Recovered[]> {
  const wanted = keys && new Set(keys.map(laneKeyString));
  const recovered: Recovered[] = [];
  for (const operation of ctx.store.runningOperations()) {
    if (wanted && !operation.laneKeys.some((key) => wanted.has(laneKeyString(key)))) continue;
    if (!ctx.store.isStale(operation)) continue;
    const taken = ctx.store.takeOverOperation(operation.id);
    if (taken.type === 'taken') recovered.push(await recoverOperation(ctx, taken.operation, taken.from));
  }
  return recovered;
}
