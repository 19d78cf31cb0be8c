import type { TraceInput, TraceSink } from '@lanes/aoi-trace';

/** Feeds every tick of `input` to `sink`; returns the number of ticks. */
export function copyTrace(input: TraceInput, sink: TraceSink): number {
  sink.begin(input.header);
  let ticks = 0;
  for (const record of input.ticks()) {
    sink.writeTick(record);
    ticks++;
  }
  return ticks;
}
