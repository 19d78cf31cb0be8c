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
    [...lane.alarms.map((a) => a.code), ...(lane.busy ? [`busy: ${lane.busy}`] : [])].join(' ') || 'ok',
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

/** The local platform's lanes with their live numbers, then one line per alarm. */
export function renderPlatformStatus(status: PlatformStatusResult): string {
  const platform = status.platform.running ? `up at ${status.platform.url}` : 'not running (lanes up starts it)';
  const lines = [`project ${status.project}, env ${status.env}: platform ${platform}`];
  lines.push(table(PLATFORM_HEADER, status.lanes.map(row)));
  for (const lane of status.lanes) {
    for (const alarm of lane.alarms) lines.push(`  ${lane.lane}: ${alarm.code}: ${alarm.message}`);
    if (lane.crashLoop && !lane.alarms.some((a) => a.code === 'CRASH_LOOP'))
      lines.push(`  ${lane.lane}: ${lane.crashLoop}`);
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
