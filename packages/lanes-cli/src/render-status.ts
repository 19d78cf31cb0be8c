import type { LaneStatus, PlatformStatusResult, StacksStatusResult } from '@lanes/core';
import { table } from './text-table.js';

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${Math.round(value * 1000) / 10}%`;
}

function row(lane: LaneStatus): string[] {
  const healthy = lane.replicas.healthy === undefined ? '-' : String(lane.replicas.healthy);
  const revision = lane.revision === undefined ? '-' : `${lane.revision}${lane.label ? ` (${lane.label})` : ''}`;
  return [
    lane.service,
    lane.name,
    revision,
    `${lane.replicas.running}/${healthy}/${lane.replicas.desired}`,
    percent(lane.share),
    lane.requests === undefined ? '-' : String(lane.requests),
    percent(lane.errorRate),
    lane.p50Ms === undefined ? '-' : `${lane.p50Ms}ms`,
    lane.p99Ms === undefined ? '-' : `${lane.p99Ms}ms`,
    [
      ...lane.alarms.map((a) => a.code),
      ...(lane.busy ? [`busy: ${lane.busy}`] : []),
      ...(lane.staleLock ? [`lock: ${lane.staleLock}`] : []),
    ].join(' ') || 'ok',
  ];
}

const PLATFORM_HEADER = [
  'SERVICE',
  'LANE',
  'REVISION',
  'RUN/HEALTHY/WANT',
  'SHARE',
  'REQUESTS',
  '5XX',
  'P50',
  'P99',
  'ALARMS',
];

/** `admitted 3, stripped 2 (untrusted 1, token-expired 1)`, or nothing when no lane tag named this lane. */
function admissionLine(lane: LaneStatus): string | undefined {
  const admission = lane.admission;
  if (!admission) return undefined;
  const reasons = Object.entries(admission.stripped);
  const stripped = reasons.reduce((sum, [, count]) => sum + count, 0);
  if (admission.admitted === 0 && stripped === 0) return undefined;
  const detail = reasons.map(([reason, count]) => `${reason} ${count}`).join(', ');
  return `lane tags admitted ${admission.admitted}, stripped ${stripped}${detail ? ` (${detail})` : ''}`;
}

/** The local platform's lanes with their live numbers, then one line per alarm. */
export function renderPlatformStatus(status: PlatformStatusResult): string {
  const platform = status.platform.running ? `up at ${status.platform.url}` : 'not running (lanes up starts it)';
  const lines = [`project ${status.project}, env ${status.env}: platform ${platform}`];
  const engine = status.platform.engine;
  // Said only when there is something to say: a restarted or failed data-plane process.
  if (engine && (engine.restarts > 0 || engine.state !== 'running')) {
    const exit = engine.lastExit ? `, last exit code ${engine.lastExit.code} signal ${engine.lastExit.signal}` : '';
    lines.push(
      `gateway engine ${engine.engine}: ${engine.state} (pid ${engine.pid}), ${engine.restarts} restart(s)${exit}`,
    );
  }
  lines.push(table(PLATFORM_HEADER, status.lanes.map(row)));
  for (const lane of status.lanes) {
    for (const alarm of lane.alarms) lines.push(`  ${lane.lane}: ${alarm.code}: ${alarm.message}`);
    if (lane.crashLoop && !lane.alarms.some((a) => a.code === 'CRASH_LOOP'))
      lines.push(`  ${lane.lane}: ${lane.crashLoop}`);
  }
  for (const lane of status.lanes) {
    const line = admissionLine(lane);
    if (line) lines.push(`  ${lane.lane}: ${line}`);
  }
  if (status.leaks.length > 0) {
    lines.push('lane leaks (traced chains that left their lane at a call, since the gateway started):');
    for (const leak of status.leaks) {
      const traces = `${leak.count} trace${leak.count === 1 ? '' : 's'}`;
      lines.push(`  ${leak.lane}: ${leak.from} -> ${leak.to}: ${traces} (${leak.from} called without the lane)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Lanes as deployment stacks see them (the aws provider). */
export function renderStacksStatus(status: StacksStatusResult): string {
  const rows = status.lanes.map((lane) => [
    lane.service,
    lane.name,
    lane.stack,
    lane.status,
    lane.image ?? '-',
    lane.label ?? '-',
  ]);
  return `${table(['SERVICE', 'LANE', 'STACK', 'STATUS', 'IMAGE', 'LABEL'], rows)}\n`;
}
