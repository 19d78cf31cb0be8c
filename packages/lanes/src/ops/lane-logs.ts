import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { followLog } from '../local/follow-log.js';
import { type LaneLogFile, laneLogFiles } from '../local/log-paths.js';
import { interleaveByTime } from '../local/log-time.js';
import { readLastLines } from '../local/read-last-lines.js';
import type { LaneKey } from '../state/types.js';
import type { OpsContext } from './context.js';

export interface LaneLogsOptions {
  /** The last this many lines of the lane (all its replicas together). */
  lines: number;
  /** Every replica the lane ever had; by default only those of its current revision. @default false */
  all?: boolean;
  /** Only lines written at or after this time (epoch ms). */
  sinceMs?: number;
  follow?: boolean;
  signal?: AbortSignal;
}

/**
 * Prints a lane's logs: the last `lines` of its replicas interleaved by time (see `interleaveByTime`), then, with
 * `follow`, new lines as they come. Undefined sources: the lane has no log at all.
 */
export async function readLaneLogs(
  ctx: OpsContext,
  key: LaneKey,
  options: LaneLogsOptions,
  onLine: (source: string, line: string) => void,
): Promise<{ sources: number } | undefined> {
  const files = await laneLogFiles(ctx.project.stateDir, key);
  if (files.length === 0) return undefined;
  const selected = options.all ? files : currentRevisionLogs(ctx, key, files);
  const read = await Promise.all(
    selected.map(async (file) => ({
      source: file.replica,
      lines: await readLastLines(file.path, options.lines),
      modifiedMs: await stat(file.path).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    })),
  );
  const since = options.sinceMs;
  const merged = interleaveByTime(read).filter((line) => since === undefined || line.time >= since);
  for (const line of merged.slice(Math.max(0, merged.length - options.lines))) onLine(line.source, line.line);
  if (options.follow) await followLogs(selected, options.signal, onLine);
  return { sources: selected.length };
}

/**
 * The logs of the replicas that ran the lane's current revision: what an operator asks about after a deploy.
 * A lane without a current revision (deleted, or never served) shows all it has.
 */
function currentRevisionLogs(ctx: OpsContext, key: LaneKey, files: LaneLogFile[]): LaneLogFile[] {
  const revision = ctx.store.getLane(key)?.currentRevision ?? undefined;
  if (revision === undefined) return files;
  const ids = new Set(
    ctx.store
      .listReplicas({ laneKey: key })
      .filter((replica) => replica.revision === revision)
      .map((replica) => String(replica.id)),
  );
  return files.filter((file) => ids.has(file.replica));
}

async function followLogs(
  files: LaneLogFile[],
  signal: AbortSignal | undefined,
  onLine: (source: string, line: string) => void,
): Promise<void> {
  // Each follower listens for the abort: one signal of our own, allowed that many listeners, so following more
  // than ten replicas prints no MaxListenersExceededWarning (Node warns past 10 per EventTarget by default).
  const stop = new AbortController();
  setMaxListeners(files.length + 1, stop.signal);
  const abort = () => stop.abort();
  if (signal?.aborted) abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const follow = { fromEnd: true, signal: stop.signal };
    await Promise.all(files.map((file) => followLog(file.path, (line) => onLine(file.replica, line), follow)));
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
