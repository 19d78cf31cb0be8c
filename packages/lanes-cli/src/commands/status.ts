import { collectStatus, type LaneStatus } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { type CliIo, writeJsonLine } from '../output.js';
import { parseCommand, withProject } from '../project-options.js';
import { table } from '../text-table.js';
import { PROVIDER_HELP, PROVIDER_OPTIONS, providerOf, runAwsStatus } from './aws-provider.js';

const HELP = `Usage: lanes status [--service <name>]

Shows every lane: revision, replicas running/healthy/desired, share of untagged traffic, requests, error rate and
latency since the gateway started, alarms (5xx over 1%, running below desired 3 samples in a row, no healthy
replica), and the operation that holds the lane, if any.
${PROVIDER_HELP}`;

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

export async function runStatusCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ service?: string; provider?: string; region?: string }>(
    'status',
    args,
    { service: { type: 'string', short: 's' }, ...PROVIDER_OPTIONS },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const provider = providerOf(parsed.values.provider, io, 'status');
  if (!provider) return EXIT.usage;
  return withProject('status', parsed.values, io, async (session) => {
    if (provider === 'aws') return runAwsStatus(session, parsed.values.json === true, parsed.values.region, io);
    const status = await collectStatus(session);
    const lanes = status.lanes.filter((lane) => !parsed.values.service || lane.service === parsed.values.service);
    if (parsed.values.json === true) {
      writeJsonLine(io.stdout, { result: 'ok', ...status, lanes });
      return EXIT.ok;
    }
    const platform = status.platform.running ? `up at ${status.platform.url}` : 'not running (lanes up starts it)';
    io.stdout.write(`project ${status.project}, env ${status.env}: platform ${platform}\n`);
    const header = [
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
    io.stdout.write(`${table(header, lanes.map(row))}\n`);
    for (const lane of lanes)
      for (const alarm of lane.alarms) io.stdout.write(`  ${lane.lane}: ${alarm.code}: ${alarm.message}\n`);
    return EXIT.ok;
  });
}
