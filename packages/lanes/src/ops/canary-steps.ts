import type { StepReport } from './canary-analysis.js';

/** How one provider moves untagged traffic and measures a step; the schedule and the verdicts are shared. */
export interface CanaryDriver<Stop extends { message: string }> {
  /** Sends `percent` of untagged traffic to the lane (0: all back to default); a returned Stop ends the run. */
  setWeight(percent: number): Promise<Stop | undefined>;
  /**
   * Lets the step run its time and judges it (`judgeStep` on the lane's and default's numbers); undefined when
   * `signal` aborted the wait.
   */
  measure(percent: number, signal: AbortSignal | undefined): Promise<StepReport | undefined>;
  /** Called with each step as soon as it is judged (progress). */
  onStep(step: StepReport): void;
}

export type CanaryRun<Stop> =
  | { type: 'passed'; steps: StepReport[] }
  | { type: 'aborted'; steps: StepReport[]; reason: string }
  | { type: 'stopped'; steps: StepReport[]; stop: Stop };

/** Waits `wait`, or less when `signal` aborts first; true when it was aborted. */
export async function waitUnlessAborted(wait: Promise<unknown>, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) {
    await wait;
    return false;
  }
  if (signal.aborted) return true;
  let stop: (() => void) | undefined;
  const aborted = new Promise<true>((resolve) => {
    stop = () => resolve(true);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([wait.then(() => false), aborted]);
  } finally {
    if (stop) signal.removeEventListener('abort', stop);
  }
}

/**
 * The provider-neutral canary schedule (as Argo Rollouts and Flagger run it): each step moves traffic, runs and is
 * judged; a failing step sends the traffic back and stops; after the last step traffic goes back too (the promote
 * replaces default next). A run where no step could judge the lane is aborted, not passed. `signal` (Ctrl-C) ends
 * the run between or during steps, with the traffic sent back: an interrupted analysis must not leave a share on
 * the lane.
 */
export async function runCanarySteps<Stop extends { message: string }>(
  percents: readonly number[],
  driver: CanaryDriver<Stop>,
  signal?: AbortSignal,
): Promise<CanaryRun<Stop>> {
  const steps: StepReport[] = [];
  const revert = async (): Promise<string> => {
    const stop = await driver.setWeight(0);
    return stop ? `sending untagged traffic back to default failed: ${stop.message}` : '';
  };
  const interrupted = async (when: string): Promise<CanaryRun<Stop>> => {
    const after = (await revert()) || 'untagged traffic went back to default';
    return { type: 'aborted', steps, reason: `interrupted ${when}; ${after}; nothing was promoted` };
  };
  for (const percent of percents) {
    if (signal?.aborted) {
      const last = steps.at(-1);
      if (last) return interrupted(`after step ${last.percent}%`);
      return { type: 'aborted', steps, reason: 'interrupted before the first step; nothing was changed' };
    }
    const stop = await driver.setWeight(percent);
    if (stop !== undefined) {
      // Best effort: an earlier step's share must not stay on the lane (the same cause may refuse this too).
      if (steps.length > 0) await driver.setWeight(0);
      return { type: 'stopped', steps, stop };
    }
    const step = await driver.measure(percent, signal);
    if (step === undefined || signal?.aborted) return interrupted(`at step ${percent}%`);
    steps.push(step);
    driver.onStep(step);
    if (step.verdict === 'fail') {
      const problem = await revert();
      const after = problem || 'untagged traffic went back to default';
      return { type: 'aborted', steps, reason: `step ${percent}% failed: ${step.reason}; ${after}` };
    }
  }
  const problem = await revert();
  if (signal?.aborted) {
    const after = problem || 'untagged traffic went back to default';
    return { type: 'aborted', steps, reason: `interrupted after the last step; ${after}; nothing was promoted` };
  }
  if (steps.every((step) => step.verdict === 'inconclusive')) {
    const last = steps.at(-1)?.reason ?? 'no steps';
    const tail = problem ? `; ${problem}` : '';
    return {
      type: 'aborted',
      steps,
      reason: `no step could judge the lane (last: ${last}); nothing was promoted${tail}`,
    };
  }
  if (problem) return { type: 'aborted', steps, reason: `every step passed, but ${problem}; nothing was promoted` };
  return { type: 'passed', steps };
}
