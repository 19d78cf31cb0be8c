// A real .aoitrace file of about a given size, written with the format's own writer: the engine benchmark's
// scenario (bench/aoi/scenario.js) recorded once through AoiWorld + recordWorld, then its moving ticks cycled with
// tick numbers, times and event ids that keep counting (the same construction as bench/aoi-trace's seek file).
// Deterministic: the same options give the same bytes.
import { openTraceWriter } from '@lanes/aoi-trace';
import { makeScenario } from '../aoi/scenario.js';
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
  const [spawn, fill, ...cycle] = trace.records;
  if (spawn === undefined || fill === undefined) throw new Error('the recorded scenario has no ticks');
  const writer = openTraceWriter(file);
  try {
    writer.begin(trace.header);
    writer.writeTick(spawn);
    writer.writeTick(fill);
    let tick = 2;
    let eventBase = fill.eventBase + fill.events.count;
    let nextLog = 100e6;
    while (writer.bytesWritten < bytes) {
      for (const record of cycle) {
        writer.writeTick({ ...record, tick, time: trace.header.startTime + tick * 100, eventBase });
        eventBase += record.events.count;
        tick++;
      }
      if (writer.bytesWritten >= nextLog) {
        log(`  ${(writer.bytesWritten / 1e6).toFixed(0)} MB, ${tick} ticks`);
        nextLog += 100e6;
      }
    }
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
