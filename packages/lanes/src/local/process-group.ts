import { readdirSync } from 'node:fs';
import { errnoCode } from './error-text.js';
import { canScanProcesses, isDeadState, readProcStat } from './proc-stat.js';
import { isProcessAlive } from './process-liveness.js';

export type SignalOutcome = 'sent' | 'gone' | 'denied';

/** `process.kill` without exceptions for the expected outcomes; `target` is negative for a process group. */
export function sendSignal(target: number, signal: NodeJS.Signals | 0): SignalOutcome {
  try {
    process.kill(target, signal);
    return 'sent';
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ESRCH') return 'gone';
    if (code === 'EPERM') return 'denied';
    throw error;
  }
}

/**
 * Whether any process of group `pgid` still runs. The kernel keeps a group while a zombie is in it, so on Linux a
 * group whose leader is gone or a zombie is looked up in /proc for a member that still runs; elsewhere the kernel's
 * answer is taken as it is.
 */
export function isGroupAlive(pgid: number): boolean {
  if (sendSignal(-pgid, 0) === 'gone') return false;
  if (isProcessAlive(pgid)) return true;
  if (!canScanProcesses()) return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readProcStat(pid);
    if (stat && stat.pgrp === pgid && !isDeadState(stat.state)) return true;
  }
  return false;
}
