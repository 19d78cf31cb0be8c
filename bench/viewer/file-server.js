#!/usr/bin/env node
// The viewer server for one .aoitrace file, in a process of its own so that its memory is measured alone: what
// `aoi-trace view <file>` runs (openTraceReader + FileDataSource + startViewer; with --detect also the detectors'
// pass that the CLI makes first). Started by bench/viewer/first-frame-file.js.
//
// stdout: one JSON line when serving ({ url, openMs, detectMs, first, last, rss, startPeakRss }), then one JSON line per
// 'report' line read on stdin ({ peakRss, maxRss, requests, reads }; requests and reads since the last report).
// stdin closing stops the server.
import { subscribe } from 'node:diagnostics_channel';
import { createInterface } from 'node:readline';
import { detect, openTraceReader } from '@lanes/aoi-trace';
import { FileDataSource, startViewer } from '@lanes/aoi-viewer';
import { TimedSource } from './timed-source.js';

const [file, ...flags] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/viewer/file-server.js <file.aoitrace> [--detect]');

let peakRss = process.memoryUsage.rss();
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};
const sampler = setInterval(sampleRss, 10);

/** Server-side time of each request, from its headers being parsed to the last byte handed to the socket. */
const requests = [];
const started = new WeakMap();
subscribe('http.server.request.start', (/** @type {any} */ { request, response }) => {
  started.set(response, { at: performance.now(), url: request.url });
});
subscribe('http.server.response.finish', (/** @type {any} */ { response }) => {
  const start = started.get(response);
  if (start?.url.startsWith('/api/')) requests.push({ url: start.url, ms: performance.now() - start.at });
});

const openStart = performance.now();
const reader = openTraceReader(file);
const openMs = performance.now() - openStart;
let detectMs = null;
if (flags.includes('--detect')) {
  const detectStart = performance.now();
  const checker = openTraceReader(file);
  try {
    detect(checker, { maxFindingsPerDetector: 500 });
  } finally {
    checker.close();
  }
  detectMs = performance.now() - detectStart;
}
sampleRss();
// The viewing peak starts here; the detectors' pass (if any) has its own.
const startPeakRss = peakRss;
peakRss = process.memoryUsage.rss();
const source = new TimedSource(new FileDataSource(reader, { name: file }));
const viewer = await startViewer({ source });
const bounds = source.bounds();
process.stdout.write(
  `${JSON.stringify({ url: viewer.url, openMs, detectMs, first: bounds?.first, last: bounds?.last, rss: process.memoryUsage.rss(), startPeakRss })}\n`,
);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'report') return;
  sampleRss();
  const report = {
    peakRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    requests: requests.splice(0),
    reads: source.takeCalls(),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
});
lines.on('close', async () => {
  clearInterval(sampler);
  await viewer.close();
  reader.close();
});
