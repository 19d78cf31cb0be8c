// A real .aoitrace file of about a given size, written with the format's own writer: the engine benchmark's
// scenario (bench/aoi/scenario.js) recorded once through AoiWorld + recordWorld, then its moving ticks cycled with
// tick numbers, times and event ids that keep counting (bench/aoi-trace/cycle-ticks.js, as for the seek bench's file).
// Deterministic: the same options give the same bytes.
import { openTraceWriter } from '@lanes/aoi-trace';
import { makeScenario } from '../aoi/scenario.js';
import { writeCycledTicks } from '../aoi-trace/cycle-ticks.js';
import { recordRoundTrip, recordScenario } from '../aoi-trace/scenario-trace.js';

/** The two maps of the engine benchmark: M (half side) for 10,000 entities. */
export const MAPS = { dense: 1_000, sparse: 10_000 };

/**
 * @param {string} file where to write (overwritten)
 * `roundTrip`: cycle the path there and back (a legal recording that the detectors find clean) instead of the
 * forward ticks alone (whose positions jump back every 100 ticks without the events of the jump).
 * @param {{ map: keyof typeof MAPS, bytes: number, log: (line: string) => void, roundTrip?: boolean }} options
 * @returns {{ file: string, fileBytes: number, entities: number, ticks: number, writeSeconds: number }}
 */
export function writeLargeTrace(file, { map, bytes, log, roundTrip = false }) {
  const started = Date.now();
  const scenario = makeScenario({ half: MAPS[map] });
  const trace = roundTrip ? recordRoundTrip(scenario) : recordScenario(scenario);
  const writer = openTraceWriter(file);
  try {
    const tick = writeCycledTicks(writer, trace, { bytes, log });
    writer.close();
    return {
      file,
      fileBytes: writer.bytesWritten,
      entities: scenario.n,
      ticks: tick,
      writeSeconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    writer.close();
    throw error;
  }
}
