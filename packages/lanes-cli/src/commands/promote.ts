import {
  type AnalysisOptions,
  analyzeAndPromote,
  DEFAULT_ANALYSIS,
  type LaneKey,
  LanesError,
  type ProjectSession,
  promoteLane,
} from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printRefusal, printResult, withProject } from '../project-options.js';
import { renderAnalysisSteps } from '../render-analysis.js';
import { laneKeyFrom } from './arguments.js';
import { PROVIDER_HELP, PROVIDER_OPTIONS, providerOf, runAwsLaneAction } from './aws-provider.js';
import { reportDeploy } from './deploy.js';

const PROMOTE_HELP = `Usage: lanes promote <service> <lane> [--analyze [options]]

Makes the lane the new default: the default lane is updated to the lane's revision (rolling replace), then the
promoted lane is deleted. Both lanes are locked while this runs.

With --analyze (automated canary analysis; needs the platform running): untagged traffic moves to the lane in
steps, and at each step the lane's 5xx rate and p99 latency are compared with default's; a bad step sends the
traffic back and stops (exit 3), all steps good promote. A service with an "analysis" block in lanes.json is also
judged by its own counters, read from every replica of both lanes (see docs/project-file.md).
  --steps <list>              percent of untagged traffic per step (default 10,25,50)
  --step-seconds <n>          length of each step (default 30)
  --max-error-increase <r>    allowed 5xx rate above default's, as a fraction (default 0.01)
  --max-latency-ratio <r>     allowed p99 over default's p99 (default 1.5)
${PROVIDER_HELP}`;

const ANALYSIS_OPTIONS = {
  analyze: { type: 'boolean' },
  steps: { type: 'string' },
  'step-seconds': { type: 'string' },
  'max-error-increase': { type: 'string' },
  'max-latency-ratio': { type: 'string' },
  ...PROVIDER_OPTIONS,
} as const;

interface AnalysisValues {
  analyze?: boolean;
  steps?: string;
  'step-seconds'?: string;
  'max-error-increase'?: string;
  'max-latency-ratio'?: string;
  provider?: string;
  region?: string;
}

export async function runPromoteCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<AnalysisValues>('promote', args, ANALYSIS_OPTIONS, PROMOTE_HELP, io);
  if (typeof parsed === 'number') return parsed;
  const provider = providerOf(parsed.values.provider, io, 'promote');
  if (!provider) return EXIT.usage;
  return withProject('promote', parsed.values, io, async (session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'promote');
    if (provider === 'aws') {
      return runAwsLaneAction(
        session,
        'promote',
        key,
        { json: parsed.values.json === true, region: parsed.values.region },
        io,
      );
    }
    if (parsed.values.analyze) return runAnalysis(session, key, parsed.values, io);
    const result = await promoteLane(session, key);
    const json = parsed.values.json === true;
    if (result.type === 'promoted') {
      printResult(
        io,
        json,
        result,
        `${result.lane} promoted: default now serves its revision (default revision ${result.defaultRevision}); the lane was deleted`,
      );
      return EXIT.ok;
    }
    if (result.type === 'refused' || result.type === 'busy') return printRefusal(io, json, result);
    reportDeploy(io, json, result);
    return EXIT.failed;
  });
}

async function runAnalysis(
  session: ProjectSession,
  key: LaneKey,
  values: AnalysisValues & { json?: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const options = analysisOptions(values);
  const result = await analyzeAndPromote(session, key, options);
  const json = values.json === true;
  if (result.type === 'busy' || result.type === 'refused') return printRefusal(io, json, result);
  const table = renderAnalysisSteps(result.steps, key.lane);
  if (result.type === 'aborted') {
    if (json) io.stdout.write(`${JSON.stringify({ result: 'aborted', ...result })}\n`);
    else io.stdout.write(`analysis of ${result.lane}: NOT promoted\n${table}\n${result.reason}\n`);
    return EXIT.failed;
  }
  const promoted = result.promote.type === 'promoted';
  printResult(
    io,
    json,
    result,
    `analysis of ${result.lane}: ${promoted ? 'promoted' : `promote failed: ${result.promote.type}`}\n${table}`,
  );
  return promoted ? EXIT.ok : EXIT.failed;
}

function analysisOptions(values: AnalysisValues): AnalysisOptions {
  const number = (text: string | undefined, name: string, fallback: number, ok: (n: number) => boolean): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!ok(value)) throw new LanesError('USAGE', `--${name} got "${text}"`, 'user');
    return value;
  };
  const steps = values.steps === undefined ? DEFAULT_ANALYSIS.steps : values.steps.split(',').map(Number);
  if (steps.length === 0 || !steps.every((p) => Number.isFinite(p) && p > 0 && p < 100)) {
    throw new LanesError(
      'USAGE',
      `--steps must be percentages between 0 and 100, like 10,25,50; got "${values.steps}"`,
      'user',
    );
  }
  return {
    steps,
    stepMs:
      number(values['step-seconds'], 'step-seconds', DEFAULT_ANALYSIS.stepMs / 1000, (n) => n > 0 && n <= 3600) * 1000,
    maxErrorRateIncrease: number(
      values['max-error-increase'],
      'max-error-increase',
      DEFAULT_ANALYSIS.maxErrorRateIncrease,
      (n) => n >= 0 && n <= 1,
    ),
    maxLatencyRatio: number(
      values['max-latency-ratio'],
      'max-latency-ratio',
      DEFAULT_ANALYSIS.maxLatencyRatio,
      (n) => n >= 1,
    ),
    minRequests: DEFAULT_ANALYSIS.minRequests,
  };
}
