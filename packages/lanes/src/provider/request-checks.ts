import { LanesError } from '../errors.js';
import type { AnalysisOptions } from '../ops/canary-analysis.js';
import type { DeployRequest } from './lane-provider.js';

/** Most replicas one lane may ask for: enough for a local platform, a bound on what a typo can start. */
export const MAX_REPLICAS = 32;

/**
 * The ranges of a deploy request, checked by every provider before it starts anything: a CLI, a pipeline script
 * and a program calling the library get the same rule and the same user error.
 */
export function checkDeployRequest(request: DeployRequest): void {
  const { replicas, weight } = request;
  const problems: string[] = [];
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= MAX_REPLICAS)) {
    problems.push(`replicas must be a whole number from 1 to ${MAX_REPLICAS}, got ${replicas}`);
  }
  if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0)) {
    problems.push(`weight must be a number >= 0, got ${weight}`);
  }
  if (problems.length > 0) throw new LanesError('LANES_USAGE', problems.join('; '), 'user');
}

/** The ranges of the canary analysis options given (the rest take the provider's defaults). */
export function checkAnalysisOptions(options: Partial<AnalysisOptions>): void {
  const problems: string[] = [];
  const { steps, stepMs, maxErrorRateIncrease, maxLatencyRatio } = options;
  if (steps !== undefined && (steps.length === 0 || !steps.every((p) => Number.isFinite(p) && p > 0 && p < 100))) {
    problems.push(`steps must be percentages between 0 and 100, like 10,25,50; got ${steps.join(',')}`);
  }
  if (stepMs !== undefined && !(stepMs > 0 && stepMs <= 3_600_000)) {
    problems.push(`a step must last more than 0 and at most 3600 seconds, got ${stepMs / 1000}`);
  }
  if (maxErrorRateIncrease !== undefined && !(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1)) {
    problems.push(`the allowed error rate increase must be a fraction from 0 to 1, got ${maxErrorRateIncrease}`);
  }
  if (maxLatencyRatio !== undefined && !(maxLatencyRatio >= 1)) {
    problems.push(`the allowed latency ratio must be at least 1, got ${maxLatencyRatio}`);
  }
  if (problems.length > 0) throw new LanesError('LANES_USAGE', problems.join('; '), 'user');
}
