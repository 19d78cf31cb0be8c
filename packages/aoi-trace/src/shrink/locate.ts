import { DetectionStream } from '../detect/detect.js';
import type { DetectOptions } from '../detect/options.js';
import type { Finding } from '../detect/types.js';
import { TraceError, TraceErrorCode } from '../errors.js';
import { MemoryTrace } from '../model/memory-trace.js';
import type { TraceInput } from '../model/types.js';
import { type FindingSelector, findingVariant, selectFinding } from './finding-match.js';

export interface Located {
  finding: Finding;
  /** The input up to the tick the finding was reported at: the ticks after it cannot matter to it. */
  trace: MemoryTrace;
  /** The whole input's size. */
  entities: number;
  ticks: number;
}

/**
 * Reads `input` once: finds the selected finding as `detect` would list it (an index counts in the report of every
 * detector with `options`, as `aoi-trace detect --json` numbers them; a kind runs that detector only), keeping a
 * copy of the ticks up to the one that reported it and only counting the rest. The detectors see ticks in order and
 * a finding, once reported, stays in the report, so the copy reproduces it.
 */
export function locateFinding(
  input: TraceInput,
  selector: FindingSelector,
  options: Omit<DetectOptions, 'detectors' | 'maxFindingsPerDetector'>,
  /** After each tick read: ticks and entities so far (for a progress line). */
  onTick?: (ticks: number, entities: number) => void,
): Located {
  const stream = new DetectionStream(
    selector.type === 'index'
      ? options
      : { ...options, detectors: [selector.detector], maxFindingsPerDetector: 1_000_000 },
  );
  const wanted = (f: Finding) =>
    selector.type === 'kind' &&
    f.detector === selector.detector &&
    (selector.variant === undefined || `${findingVariant(f)} `.startsWith(`${selector.variant} `)) &&
    (selector.tick === undefined || f.tick === selector.tick);
  stream.begin(input.header);
  const trace = new MemoryTrace(input.header);
  const ids = new Set<number>();
  let ticks = 0;
  let seen = 0;
  let finding: Finding | undefined;
  for (const record of input.ticks()) {
    if (record.resync !== undefined) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        `ticks were lost before tick ${record.tick}; shrink needs a trace without gaps (damaged or cut).`,
      );
    }
    ticks++;
    for (const spawn of record.spawns) ids.add(spawn.id);
    onTick?.(ticks, ids.size);
    if (finding !== undefined) continue;
    trace.writeTick(record);
    stream.writeTick(record);
    const { findings } = stream.report();
    if (selector.type === 'index') finding = findings[selector.index];
    else {
      // Only the findings added since the last tick; once one matches, no later tick looks again.
      finding = findings.slice(seen).find(wanted);
      seen = findings.length;
    }
  }
  finding ??= selectFinding(stream.finish(), selector);
  return { finding, trace, entities: ids.size, ticks };
}
