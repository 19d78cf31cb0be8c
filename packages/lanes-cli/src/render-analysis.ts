import type { MetricReport, StepReport } from '@lanes/core';

const value = (n: number | undefined) => (n === undefined ? '-' : String(Number(n.toPrecision(3))));

function metricLines(metrics: MetricReport[], lane: string): string[] {
  const labels = metrics.map((m) => (m.per ? `${m.name} per ${m.per}` : m.name));
  const width = Math.max(...labels.map((l) => l.length));
  const cells = metrics.map((m) => [`${lane} ${value(m.lane)}`, `default ${value(m.baseline)}`]);
  const laneWidth = Math.max(...cells.map(([l]) => l!.length));
  const baseWidth = Math.max(...cells.map(([, b]) => b!.length));
  return metrics.map(
    (m, i) =>
      `        ${labels[i]!.padEnd(width)}  ${cells[i]![0]!.padEnd(laneWidth)}  ${cells[i]![1]!.padEnd(baseWidth)}  ${m.verdict}`,
  );
}

/** One line per step, then one per application metric with the lane's and default's values and its verdict. */
export function renderAnalysisSteps(steps: StepReport[], lane: string): string {
  return steps
    .flatMap((s) => [
      `  ${String(s.percent).padStart(3)}%  ${s.verdict.padEnd(12)} ${s.reason}`,
      ...(s.metrics.length > 0 ? metricLines(s.metrics, lane) : []),
    ])
    .join('\n');
}
