// Grows a trace to a given size: a recording's first two ticks (spawn and fill), then its other ticks again and
// again, with tick numbers, times and event ids that keep counting. The seek bench and the viewer's large files
// use it.

/**
 * Writes `trace` into `writer` (begun here, not closed) until about `bytes` are written; logs every 100 MB from
 * `firstLog` on, each line starting with `label`. Returns the number of ticks written.
 * @param {import('@lanes/aoi-trace').TraceWriter} writer
 * @param {import('@lanes/aoi-trace').MemoryTrace} trace
 * @param {{ bytes: number, log: (line: string) => void, label?: string, firstLog?: number }} options
 * @returns {number}
 */
export function writeCycledTicks(writer, trace, { bytes, log, label = '', firstLog = 100e6 }) {
  const [spawn, fill, ...cycle] = trace.records;
  if (spawn === undefined || fill === undefined) throw new Error('the recorded scenario has no ticks');
  writer.begin(trace.header);
  writer.writeTick(spawn);
  writer.writeTick(fill);
  let tick = 2;
  let eventBase = fill.eventBase + fill.events.count;
  let nextLog = firstLog;
  while (writer.bytesWritten < bytes) {
    for (const record of cycle) {
      writer.writeTick({ ...record, tick, time: trace.header.startTime + tick * 100, eventBase });
      eventBase += record.events.count;
      tick++;
    }
    if (writer.bytesWritten >= nextLog) {
      log(`  ${label}${(writer.bytesWritten / 1e6).toFixed(0)} MB, ${tick} ticks`);
      nextLog += 100e6;
    }
  }
  return tick;
}
