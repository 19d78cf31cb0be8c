import { type AnalysisOptions, LanesError } from '@lanes/core';
import type { ExitCode } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import type { CliIo } from '../output.js';
import { parseCommand } from '../project-options.js';
import { type CliDeps, PROVIDER_HELP, PROVIDER_OPTIONS, type ProviderValues, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom } from './arguments.js';

const PROMOTE_HELP = `Usage: lanes promote <service> <lane> [--analyze [options]]

Makes the lane the new default: the default lane is updated to the lane's revision (rolling replace), then the
promoted lane is deleted. Both lanes are locked while this runs.

With --analyze (automated canary analysis; locally it needs the platform running): untagged traffic moves to the
lane in steps, and at each step the lane's 5xx rate and p99 latency are compared with default's; a bad step sends
the traffic back and stops (exit 3), all steps good promote; Ctrl-C sends the traffic back and promotes nothing.
A service with an "analysis" block in lanes.json is also judged by its own counters, read from every replica of
both lanes (see docs/project-file.md). With --provider aws the weights are the lane stack's CanaryWeight and the
numbers come from CloudWatch (the target groups' 5xx count, request count and p99 response time).
  --steps <list>              percent of untagged traffic per step (default 10,25,50)
  --step-seconds <n>          length of each step (default 30; aws: 120, at least 60)
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

interface AnalysisValues extends ProviderValues {
  analyze?: boolean;
  steps?: string;
  'step-seconds'?: string;
  'max-error-increase'?: string;
  'max-latency-ratio'?: string;
}

export async function runPromoteCommand(args: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const parsed = parseCommand<AnalysisValues>('promote', args, ANALYSIS_OPTIONS, PROMOTE_HELP, io);
  if (typeof parsed === 'number') return parsed;
  return withProvider('promote', parsed.values, io, deps, async (provider, session) => {
    const key = laneKeyFrom(session, parsed.positionals, 'promote');
    if (!parsed.values.analyze) {
      const interruptible = provider.interruptible === true;
      const result = await withInterrupt(interruptible, (signal) => provider.promote(key, { signal }));
      return renderProviderResult(io, parsed.values.json === true, result);
    }
    // Ctrl-C ends the analysis with the traffic sent back.
    const analysis = analysisOptions(parsed.values);
    return withInterrupt(true, async (signal) =>
      renderProviderResult(io, parsed.values.json === true, await provider.promote(key, { analysis, signal })),
    );
  });
}

/** The analysis options given on the command line; the provider fills in its own defaults for the rest. */
function analysisOptions(values: AnalysisValues): Partial<AnalysisOptions> {
  const number = (name: keyof AnalysisValues & string, ok: (n: number) => boolean): number | undefined => {
    const text = values[name] as string | undefined;
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!ok(value)) throw new LanesError('LANES_USAGE', `--${name} got "${text}"`, 'user');
    return value;
  };
  const steps = values.steps?.split(',').map(Number);
  if (steps && (steps.length === 0 || !steps.every((p) => Number.isFinite(p) && p > 0 && p < 100))) {
    throw new LanesError(
      'LANES_USAGE',
      `--steps must be percentages between 0 and 100, like 10,25,50; got "${values.steps}"`,
      'user',
    );
  }
  const seconds = number('step-seconds', (n) => n > 0 && n <= 3600);
  const maxErrorRateIncrease = number('max-error-increase', (n) => n >= 0 && n <= 1);
  const maxLatencyRatio = number('max-latency-ratio', (n) => n >= 1);
  return {
    ...(steps ? { steps } : {}),
    ...(seconds !== undefined ? { stepMs: seconds * 1000 } : {}),
    ...(maxErrorRateIncrease !== undefined ? { maxErrorRateIncrease } : {}),
    ...(maxLatencyRatio !== undefined ? { maxLatencyRatio } : {}),
  };
}
