import { TRACE_CONTEXT_ERROR_CODES, TraceContextError } from './errors.js';

/** Members longer than this go first when a tracestate must shrink. */
export const TRACESTATE_LARGE_MEMBER = 128;
/** What the spec asks vendors to propagate at least; a sensible `maxLength` when one is needed. */
export const TRACESTATE_RECOMMENDED_MAX_LENGTH = 512;

/**
 * The members that remain once the serialized list fits `maxLength`: whole members only; members over 128 chars
 * are removed first (right-most first), then members from the right end. Removes no more than needed.
 */
export function truncateMembers<T extends readonly [string, string]>(members: readonly T[], maxLength: number): T[] {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new TraceContextError(
      TRACE_CONTEXT_ERROR_CODES.invalidArgument,
      `tracestate maxLength must be a non-negative integer, got ${String(maxLength)}`,
    );
  }
  const lengths = members.map(([k, v]) => k.length + 1 + v.length);
  const keep = members.map(() => true);
  let kept = members.length;
  let total = lengths.reduce((sum, n) => sum + n, 0) + Math.max(0, kept - 1);
  const drop = (j: number): void => {
    keep[j] = false;
    kept--;
    total -= (lengths[j] ?? 0) + (kept > 0 ? 1 : 0);
  };
  for (let j = members.length - 1; j >= 0 && total > maxLength; j--) {
    if ((lengths[j] ?? 0) > TRACESTATE_LARGE_MEMBER) drop(j);
  }
  for (let j = members.length - 1; j >= 0 && total > maxLength; j--) {
    if (keep[j]) drop(j);
  }
  return members.filter((_, j) => keep[j]);
}
