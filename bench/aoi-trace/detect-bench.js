// The detectors' pass over a large dense file against its same-run peer, the floor: a plain streaming pass that
// only decodes every tick (bench/aoi-trace/detect-pass.js). Each pass runs in a child process of its own, so its
// peak RSS is its own; the detectors' cost is reported as a ratio over decoding, in wall and CPU time.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLargeTrace } from '../viewer/large-trace-file.js';

const PASS = fileURLToPath(new URL('./detect-pass.js', import.meta.url));

/** @param {string[]} args */
function pass(args) {
  const out = execFileSync(process.execPath, [PASS, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '');
}

/**
 * @param {{ detectGb: number, detectFile?: string | undefined, detectTicks?: number | undefined }} options
 * @param {(line: string) => void} log
 */
export function detectorBench(options, log) {
  let file = options.detectFile;
  let written;
  if (file === undefined) {
    file = path.join(os.tmpdir(), `aoi-trace-detect-${process.pid}.aoitrace`);
    log(`detectors: writing a dense file of ${options.detectGb} GB`);
    written = writeLargeTrace(file, { map: 'dense', bytes: options.detectGb * 1e9, log });
  }
  try {
    const to = options.detectTicks === undefined ? '' : String(options.detectTicks - 1);
    log('detectors: decode-only floor');
    const floor = pass(['decode', file, to]);
    log('detectors: detect');
    const detect = pass(['detect', file, to]);
    log('detectors: decode-only floor again');
    const floorAfter = pass(['decode', file, to]);
    return { file: options.detectFile ?? null, written: written ?? null, floor, floorAfter, detect };
  } finally {
    if (options.detectFile === undefined) rmSync(file, { force: true });
  }
}

/** @param {ReturnType<typeof detectorBench>} r */
export function detectorTable(r) {
  const floor = r.floor.cpuSeconds <= r.floorAfter.cpuSeconds ? r.floor : r.floorAfter;
  const row = (name, p) =>
    `| ${name} | ${p.ticks} | ${p.seconds.toFixed(1)} s | ${p.cpuSeconds.toFixed(1)} s | ${(p.seconds / floor.seconds).toFixed(1)}x | ${(p.cpuSeconds / floor.cpuSeconds).toFixed(1)}x | ${p.maxRssMB.toFixed(0)} MB |`;
  return [
    '#### Detectors over the dense file against the decode-only floor',
    '',
    '| Pass | ticks | wall | CPU | wall vs. floor | CPU vs. floor | peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('decode only (floor)', r.floor),
    row('decode only, again', r.floorAfter),
    row('detect (all detectors)', r.detect),
    '',
    `Findings: ${JSON.stringify(r.detect.counts)}`,
    '',
  ];
}
