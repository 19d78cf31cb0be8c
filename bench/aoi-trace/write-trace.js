#!/usr/bin/env node
// Writes the dense (or sparse) benchmark trace of a given size to a file: the input of the detectors' measurement
// (run.js --detect-gb) and of `aoi-trace detect` by hand. Deterministic: the same options give the same bytes.
import os from 'node:os';
import path from 'node:path';
import { collectFlags, UsageError } from '../common/flags.js';
import { runMain } from '../common/run-main.js';
import { writeLargeTrace } from '../viewer/large-trace-file.js';

const USAGE = `node bench/aoi-trace/write-trace.js [--gb g] [--map dense|sparse] [--cycle forward|round-trip] [--out file]
  --gb     size in GB (default 1)
  --map    scenario cycled into the file (default dense)
  --cycle  forward: the 100 moving ticks cycled, positions jump back every cycle without events (the seek and
           viewer benchmarks' file; default); round-trip: there and back, a legal recording the detectors find clean
  --out    where to write (default <tmp>/aoi-trace-<map>-<cycle>-<gb>gb.aoitrace); the path is printed on stdout`;

const FLAGS = {
  '--gb': { env: 'AOI_TRACE_GB' },
  '--map': { env: 'AOI_TRACE_MAP' },
  '--cycle': { env: 'AOI_TRACE_CYCLE' },
  '--out': { env: 'AOI_TRACE_OUT' },
};
const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const given = collectFlags(process.argv.slice(2), process.env, FLAGS, USAGE);
  const gb = Number(given.get('--gb') ?? 1);
  const map = given.get('--map') ?? 'dense';
  if (!(gb > 0)) throw new UsageError(`--gb must be > 0.\n${USAGE}`);
  const cycle = given.get('--cycle') ?? 'forward';
  if (map !== 'dense' && map !== 'sparse') throw new UsageError(`Unknown map ${map}.\n${USAGE}`);
  if (cycle !== 'forward' && cycle !== 'round-trip') throw new UsageError(`Unknown cycle ${cycle}.\n${USAGE}`);
  const file = given.get('--out') ?? path.join(os.tmpdir(), `aoi-trace-${map}-${cycle}-${gb}gb.aoitrace`);
  const written = writeLargeTrace(file, { map, bytes: gb * 1e9, log, roundTrip: cycle === 'round-trip' });
  log(`${(written.fileBytes / 1e6).toFixed(0)} MB, ${written.ticks} ticks in ${written.writeSeconds.toFixed(0)} s`);
  console.log(file);
  return 0;
}

await runMain(main, async () => {}, log);
