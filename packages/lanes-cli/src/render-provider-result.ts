import { type CliIo, EXIT, type ExitCode, writeJsonLine } from '@lanes/cli-kit';
import type { ProviderResult, StepReport } from '@lanes/core';
import { renderAnalysisSteps } from './render-analysis.js';
import { renderPlatformStatus, renderStacksStatus } from './render-status.js';

function stepsTable(lane: string, steps: StepReport[] | undefined): string {
  return steps && steps.length > 0 ? renderAnalysisSteps(steps, lane.split('/').at(-1) ?? lane) : '';
}

const withTable = (head: string, table: string) => (table ? `${head}\n${table}` : head);

/**
 * Prints a provider's result by its type, whichever provider gave it, and returns the exit code: done 0; refused,
 * busy or unsupported 2 (nothing was changed); failed, reverted or aborted 3 (it ran, and was undone). With --json
 * the result is one line: `result` is `ok` when done, else the type.
 */
export function renderProviderResult(io: CliIo, json: boolean, result: ProviderResult): ExitCode {
  switch (result.type) {
    case 'platform':
    case 'stacks':
    case 'deployed':
    case 'no-change':
    case 'routed':
    case 'promoted':
    case 'deleted':
    case 'done': {
      if (json) writeJsonLine(io.stdout, { result: 'ok', ...result });
      else if (result.type === 'platform') io.stdout.write(renderPlatformStatus(result));
      else if (result.type === 'stacks') io.stdout.write(renderStacksStatus(result));
      else if (result.type === 'promoted')
        io.stdout.write(`${withTable(result.message, stepsTable(result.lane, result.steps))}\n`);
      else if (result.type !== 'done') io.stdout.write(`${result.message}\n`);
      return EXIT.ok;
    }
    case 'aborted':
      if (json) writeJsonLine(io.stdout, { result: result.type, ...result });
      else io.stdout.write(`${withTable(result.message, stepsTable(result.lane, result.steps))}\n${result.reason}\n`);
      return EXIT.failed;
    case 'busy':
    case 'refused':
    case 'unsupported':
    case 'not-found':
    case 'no-previous':
      if (json) writeJsonLine(io.stdout, { result: result.type, ...result });
      io.stderr.write(`lanes: ${result.message}\n`);
      return EXIT.usage;
    case 'failed':
    case 'reverted': {
      if (json) writeJsonLine(io.stdout, { result: result.type, ...result });
      const table = 'steps' in result ? stepsTable(result.lane, result.steps) : '';
      if (!json && table) io.stdout.write(`${table}\n`);
      const tail = result.logTail?.length ? `\nlast log lines:\n  ${result.logTail.join('\n  ')}` : '';
      io.stderr.write(`lanes: ${result.message}${tail}\n`);
      return EXIT.failed;
    }
  }
}
