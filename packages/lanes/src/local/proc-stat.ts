import { readFileSync } from 'node:fs';

/** The fields of Linux's `/proc/<pid>/stat` that liveness needs. */
export interface ProcStat {
  /** `R`, `S`, `D`, ... ; `Z` (zombie) and `X` (dead) mean the process no longer runs. */
  state: string;
  pgrp: number;
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
  const pgrp = Number(fields[2]);
  if (!state || !Number.isInteger(pgrp)) return undefined;
  return { state, pgrp };
}

export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X';
}

/** Whether `/proc` can be scanned for the members of a process group. */
export function canScanProcesses(): boolean {
  return HAS_PROC;
}
