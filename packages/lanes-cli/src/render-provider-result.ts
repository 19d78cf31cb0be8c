import type { PlatformStatusResult, StacksStatusResult, StepReport } from '@lanes/core';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliIo, writeJsonLine } from './output.js';
import { renderAnalysisSteps } from './render-analysis.js';
import { renderPlatformStatus, renderStacksStatus } from './render-status.js';

/** What every provider result carries; the rest is written out with --json as it is. */
interface Outcome {
  type: string;
  message?: string;
  lane?: string;
  steps?: StepReport[];
  reason?: string;
  logTail?: string[];
}

const DONE = new Set(['deployed', 'no-change', 'routed', 'promoted', 'deleted', 'done']);
const REFUSED = new Set(['busy', 'refused', 'unsupported', 'not-found', 'no-previous']);

function stepsTable(result: Outcome): string {
  const lane = result.lane?.split('/').at(-1) ?? '';
  return result.steps && result.steps.length > 0 ? `\n${renderAnalysisSteps(result.steps, lane)}` : '';
}

/**
 * Prints a provider's result by its type, whichever provider gave it, and returns the exit code: done 0; refused,
 * busy or unsupported 2 (nothing was changed); failed, reverted or aborted 3 (it ran, and was undone).
 */
export function renderProviderResult(io: CliIo, json: boolean, result: Outcome): ExitCode {
  if (result.type === 'platform' || result.type === 'stacks') {
    if (json) writeJsonLine(io.stdout, { result: 'ok', ...result });
    else if (result.type === 'platform')
      io.stdout.write(renderPlatformStatus(result as unknown as PlatformStatusResult));
    else io.stdout.write(renderStacksStatus(result as unknown as StacksStatusResult));
    return EXIT.ok;
  }
  if (DONE.has(result.type)) {
    if (json) writeJsonLine(io.stdout, { result: 'ok', ...result });
    else if (result.message) io.stdout.write(`${result.message}${stepsTable(result)}\n`);
    return EXIT.ok;
  }
  if (json) writeJsonLine(io.stdout, { result: result.type, ...result });
  if (result.type === 'aborted') {
    if (!json) io.stdout.write(`${result.message}${stepsTable(result)}\n${result.reason}\n`);
    return EXIT.failed;
  }
  if (REFUSED.has(result.type)) {
    io.stderr.write(`lanes: ${result.message}\n`);
    return EXIT.usage;
  }
  if (!json && result.steps) io.stdout.write(`${stepsTable(result).slice(1)}\n`);
  const tail = result.logTail?.length ? `\nlast log lines:\n  ${result.logTail.join('\n  ')}` : '';
  io.stderr.write(`lanes: ${result.message ?? result.type}${tail}\n`);
  return result.type === 'failed' || result.type === 'reverted' ? EXIT.failed : EXIT.internal;
}
