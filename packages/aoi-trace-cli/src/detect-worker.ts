// Runs the detectors over one trace file off the main thread, so `aoi-trace view` serves the page meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { detect, openTraceReader } from '@lanes/aoi-trace';

const { file, maxFindings } = workerData as { file: string; maxFindings: number };
const reader = openTraceReader(file);
try {
  const report = detect(reader, { maxFindingsPerDetector: maxFindings });
  parentPort?.postMessage({
    counts: report.counts,
    findings: report.findings.map(({ detector, tick, entities, message }) => ({ detector, tick, entities, message })),
    // What the pass could not read (gaps, a cut): the findings cover only the rest.
    damage: reader.damageReport,
  });
} finally {
  reader.close();
}
