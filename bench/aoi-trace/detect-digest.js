#!/usr/bin/env node
// The detectors' report on each file as a digest, so two builds can be compared finding for finding:
//   node bench/aoi-trace/detect-digest.js [--lib <path to an aoi-trace index.js>] [--to <tick>] [--modes incremental,full] <file>...
// One line per file and mode: the sha256 of the whole JSON report (every finding, its text and evidence, in order,
// counts, thresholds), the finding counts and the CPU seconds. Two builds agree when their lines' digests match:
//   diff <(node detect-digest.js --lib /tmp/base/dist/index.js f...) <(node detect-digest.js f...)  (ignore the CPU)
// --sorted: the findings as a SET: no cap on them (which ones a cap keeps depends on the order they are found in) and
// sorted by their JSON text before hashing, so two builds that find the same findings in another order agree.
// Mode `worker`: the incremental mode through detectTraceFile (the kinetic schedule on a worker thread); its
// digests must equal the incremental mode's.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    lib: { type: 'string' },
    to: { type: 'string' },
    modes: { type: 'string' },
    sorted: { type: 'boolean' },
  },
  allowPositionals: true,
});
const lib = values.lib === undefined ? await import('@lanes/aoi-trace') : await import(pathToFileURL(values.lib).href);
const modes = (values.modes ?? 'incremental').split(',');
const range = values.to === undefined ? undefined : { to: Number(values.to) };
for (const file of positionals) {
  for (const mode of modes) {
    const reader = lib.openTraceReader(file);
    const cpu = process.cpuUsage();
    let report;
    try {
      const cap = values.sorted ? Number.MAX_SAFE_INTEGER : 500;
      report =
        mode === 'worker'
          ? lib.detectTraceFile(file, { maxFindingsPerDetector: cap }, range, 'incremental')
          : lib.detect(reader, { maxFindingsPerDetector: cap }, range, mode);
    } finally {
      reader.close();
    }
    const used = process.cpuUsage(cpu);
    if (values.sorted) {
      const texts = report.findings.map((f) => JSON.stringify(f)).sort();
      report = { ...report, thresholds: { ...report.thresholds, maxFindingsPerDetector: 'uncapped' }, findings: texts };
    }
    const digest = createHash('sha256').update(JSON.stringify(report)).digest('hex').slice(0, 16);
    const counts = Object.entries(report.counts)
      .map(([d, n]) => `${d}=${n}`)
      .join(' ');
    console.log(`${file} ${mode} ${digest} ${counts} cpu=${((used.user + used.system) / 1e6).toFixed(1)}s`);
  }
}
