// Where the recorder's ticks go: the .aoitrace file and the live detectors, through one tee.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DetectionStream, openTraceWriter } from '@lanes/aoi-trace';

/** A TraceSink that feeds every sink in turn (each reads the record before writeTick returns, so reuse is safe). */
export function tee(...sinks) {
  return {
    begin(header) {
      for (const sink of sinks) sink.begin(header);
    },
    writeTick(record) {
      for (const sink of sinks) sink.writeTick(record);
    },
    /** The sum of the backlogs of the sinks that report one (the file writer's). */
    backlog() {
      const total = { ticks: 0, chunks: 0 };
      for (const sink of sinks) {
        const backlog = sink.backlog?.();
        if (backlog) {
          total.ticks += backlog.ticks;
          total.chunks += backlog.chunks;
        }
      }
      return total;
    },
  };
}

/** Opens the trace file (creating its folder) and the live detectors. */
export function openTraceSinks(traceFile) {
  mkdirSync(dirname(traceFile), { recursive: true });
  const writer = openTraceWriter(traceFile);
  const detection = new DetectionStream();
  return { writer, detection, sink: tee(writer, detection) };
}
