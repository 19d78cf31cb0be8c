#!/usr/bin/env node
// The detectors split over worker_threads (issue 15, "workers where they pay"): each worker opens the file, replays
// the world and runs its group of detectors; the detectors are independent given the world, so the findings per
// detector are those of one pass (the counts are compared with detect-pass.js). Wall time can drop on 2 cores, CPU
// time cannot (each worker decodes and replays the world itself). One JSON line, as detect-pass.js prints.
// Usage: node bench/aoi-trace/detect-split.js <file> [lastTick] [group;group...]
//   a group is detectors joined by commas; default "ground-truth,delayed-broadcast,adjacency;torn-view,oscillation"
//   (ground truth and divergence share the kinetic schedule, so they stay together).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { detect, openTraceReader } from '@lanes/aoi-trace';

const DEFAULT_GROUPS = 'ground-truth,delayed-broadcast,adjacency;torn-view,oscillation';

if (!isMainThread) {
  const { file, to, detectors } = workerData;
  const reader = openTraceReader(file);
  try {
    const report = detect(reader, { maxFindingsPerDetector: 500, detectors }, to === undefined ? undefined : { to });
    parentPort?.postMessage({ ticks: report.ticks, counts: report.counts });
  } finally {
    reader.close();
  }
} else {
  const [file, lastArg, groupsArg] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: detect-split.js <file> [lastTick] [group;group...]');
    process.exit(1);
  }
  const to = lastArg === undefined || lastArg === '' ? undefined : Number(lastArg);
  const groups = (groupsArg ?? DEFAULT_GROUPS).split(';').map((g) => g.split(','));
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const results = await Promise.all(
    groups.map(
      (detectors) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { file, to, detectors } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`worker for ${detectors.join(',')} exited with ${code}`));
          });
        }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // process.cpuUsage() and maxRSS cover every thread of the process.
  const cpu = process.cpuUsage(cpuStart);
  const counts = {};
  for (const r of results) for (const [d, n] of Object.entries(r.counts)) counts[d] = (counts[d] ?? 0) + n;
  console.log(
    JSON.stringify({
      mode: 'detect-split',
      groups: groups.map((g) => g.join(',')),
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      ticks: results[0]?.ticks,
      counts,
    }),
  );
}
