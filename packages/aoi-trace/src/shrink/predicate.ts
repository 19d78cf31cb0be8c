import { DetectionStream } from '../detect/detect.js';
import type { DetectOptions } from '../detect/options.js';
import type { Finding } from '../detect/types.js';
import type { TickRecord, TraceHeader } from '../model/types.js';
import { type FindingSignature, matchesSignature } from './finding-match.js';

/** Findings kept while looking for the match: enough that the one sought is never cut from the list. */
const LISTED = 1_000_000;

/**
 * The shrinker's predicate: the detectors' own verdict on a candidate, in memory. Runs only the detector of the
 * finding sought and stops at the first finding that matches it (see {@link matchesSignature}); findings that only
 * close at the end of the trace (a missing event, an oscillation window) are looked for after finish().
 */
export function findMatch(
  header: TraceHeader,
  records: readonly TickRecord[],
  signature: FindingSignature,
  options: Omit<DetectOptions, 'detectors'>,
): Finding | undefined {
  const stream = new DetectionStream({ ...options, detectors: [signature.detector], maxFindingsPerDetector: LISTED });
  stream.begin(header);
  let seen = 0;
  const look = (findings: readonly Finding[]) => {
    // Only the findings added since the last look: a match is returned at once, so none is looked at twice.
    const found = findings.slice(seen).find((f) => matchesSignature(f, signature));
    seen = findings.length;
    return found;
  };
  for (const record of records) {
    stream.writeTick(record);
    const found = look(stream.report().findings);
    if (found !== undefined) return found;
  }
  return look(stream.finish().findings);
}
