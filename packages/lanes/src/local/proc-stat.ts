import { readFileSync } from 'node:fs';

/** The fields of Linux's `/proc/<pid>/stat` that liveness needs. */
export interface ProcStat {
  /** `R`, `S`, `D`, ... ; `Z` (zombie) and `X` (dead) mean the process no longer runs. */
  state: string;
  pgrp: number;
  /**
   * When the process started, in clock ticks after boot (field 22, `starttime`): a pid and its start time name one
   * process, since the kernel reuses pids but never with the same start time (see proc_pid_stat(5)).
   */
  startTime: number;
}

const HAS_PROC = process.platform === 'linux';

/** Undefined where there is no `/proc` (macOS) or the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  if (!HAS_PROC) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces and parentheses: parse after the last one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  // Fields are counted from 1 with pid = 1 and comm = 2, so state (3) is at index 0 here and starttime (22) at 19.
  const pgrp = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (!state || !Number.isInteger(pgrp) || !Number.isSafeInteger(startTime)) return undefined;
  return { state, pgrp, startTime };
}

export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X';
}

/** Whether `/proc` can be scanned for the members of a process group. */
export function canScanProcesses(): boolean {
  return HAS_PROC;
}

/** The start time of a running process (see `ProcStat.startTime`); undefined without `/proc` or when it is gone. */
export function procStartTime(pid: number): number | undefined {
  return readProcStat(pid)?.startTime;
}
