import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace } from '../../model/memory-trace.js';
import { NdjsonWriter } from '../../ndjson/ndjson-writer.js';
import { recordWorld } from '../../record/recorder.js';

/** An engine run as NDJSON lines (header first) and as records: 20 entities in [0, 100]², 10 ticks. */
export function traceLines(): { lines: string[]; trace: MemoryTrace } {
  const world = new AoiWorld({ mode: 'batched' });
  const trace = new MemoryTrace();
  let now = 1_700_000_000_000;
  const recorder = recordWorld(world, trace, { source: 'test-producer', now: () => (now += 50) });
  for (let id = 0; id < 20; id++) world.add(id, { x: id * 5, y: (id * 3) % 17, viewRadius: 8, leaveRadius: 10 });
  recorder.tick();
  for (let step = 1; step < 10; step++) {
    for (let id = step % 2; id < 20; id += 2) world.move(id, id * 5 + step, ((id * 3) % 17) + step / 2);
    recorder.tick();
  }
  recorder.close();
  const lines: string[] = [];
  const writer = new NdjsonWriter(lines);
  writer.begin(trace.header);
  for (const record of trace.ticks()) writer.writeTick(record);
  return { lines, trace };
}

export const body = (lines: readonly string[]) => `${lines.join('\n')}\n`;
