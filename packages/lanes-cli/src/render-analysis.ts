import type { MetricReport, StepReport } from '@lanes/core';

const value = (n: number | undefined) => (n === undefined ? '-' : String(Number(n.toPrecision(3))));

function metricLines(metrics: MetricReport[], lane: string): string[] {
  const rows = metrics.map((m) => ({
    label: m.per ? `${m.name} per ${m.per}` : m.name,
    lane: `${lane} ${value(m.lane)}`,
    base: `default ${value(m.baseline)}`,
    verdict: m.verdict,
  }));
  const width = Math.max(...rows.map((r) => r.label.length));
  const laneWidth = Math.max(...rows.map((r) => r.lane.length));
  const baseWidth = Math.max(...rows.map((r) => r.base.length));
  return rows.map(
    (r) => `        ${r.label.padEnd(width)}  ${r.lane.padEnd(laneWidth)}  ${r.base.padEnd(baseWidth)}  ${r.verdict}`,
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
