// The markdown for the real-file part of the viewer benchmark (bench/viewer/first-frame-file.js).

const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (value) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);

/**
 * @param {any} result what run.js's measureFile returns
 * @param {{ fileMap: string, detect: boolean }} options
 * @returns {string[]}
 */
export function fileReport(result, options) {
  const { info, phases, resources, fileBytes, written } = result;
  const ticks = info.last - info.first + 1;
  const entities = phases[0].entities;
  const origin = written
    ? `written for this run (${options.fileMap} map cycled, ${written.writeSeconds.toFixed(0)} s to record and write)`
    : `given with --trace-file`;
  const lines = [
    `Time to first frame, real .aoitrace file: ${mb(fileBytes)}, ${entities} entities, ${ticks} ticks (${info.first}..${info.last}), ${origin}.`,
    `Server: openTraceReader ${ms(info.openMs)}${info.detectMs === null ? '' : `; the detectors' pass before serving (as \`aoi-trace view\` without --no-detect) ${(info.detectMs / 1000).toFixed(1)} s, peak RSS ${mb(info.startPeakRss)}`}.`,
    '',
    '| moment | tick | frame drawn with entities | server /api/state | of it stateAt | server first /api/ticks window | ticks in it | of it reading | page /api/state (TTFB) |',
    '| ------ | ---: | ------------------------: | ----------------: | ------------: | -----------------------------: | ----------: | ------------: | ---------------------: |',
  ];
  for (const phase of phases) {
    const { requests, reads } = phase.server;
    const state = requests.find((r) => r.url.startsWith('/api/state') && r.url.includes(`tick=${phase.tick}`));
    const window = requests.find((r) => r.url.startsWith('/api/ticks') && r.url.includes(`from=${phase.tick + 1}&`));
    const stateRead = reads.find((r) => r.call === 'stateAt' && r.tick === phase.tick);
    const windowRead = reads.find((r) => r.call === 'ticks' && r.from === phase.tick + 1);
    const pageState = resources.find((r) => r.url.startsWith(`/api/state?`) && r.url.includes(`tick=${phase.tick}`));
    const label = phase.at === 'first' ? 'first tick, from navigation' : `seek to the ${phase.at}`;
    lines.push(
      `| ${label} | ${phase.tick} | ${phase.ms.toFixed(0)} ms | ${ms(state?.ms)} | ${ms(stateRead?.ms)} | ${window ? ms(window.ms) : 'none (at the end)'} | ${windowRead ? windowRead.records : '-'} | ${windowRead ? ms(windowRead.readMs) : '-'} | ${pageState ? `${ms(pageState.ms)} (${ms(pageState.ttfb)})` : 'n/a'} |`,
    );
  }
  const last = phases.at(-1).server;
  lines.push(
    '',
    // getrusage sees every peak; the 10 ms sampler cannot run while a request blocks the event loop.
    `Server process peak RSS (getrusage maxRSS${options.detect ? ', detectors included' : ''}): ${mb(last.maxRss)}; ${mb(info.rss)} when it started serving, ${mb(last.peakRss)} the highest sampled between requests. The file is ${mb(fileBytes)}, ${(fileBytes / last.maxRss).toFixed(1)}x the peak.`,
  );
  return lines;
}
