/** Thrown by a test when the time is up; ddmin then returns the smallest passing set it has. */
export class OutOfTime extends Error {
  constructor() {
    super('shrink: out of time');
  }
}

export interface DdminResult<T> {
  items: T[];
  /** False when the time ran out: `items` still passes the test but may not be 1-minimal. */
  complete: boolean;
}

/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", IEEE TSE 28(2), 2002):
 * `test(subset)` is true when the subset still shows the failure (`items` must). Splits the set into n parts and
 * tries each part, then each complement; on success it continues from there, otherwise doubles n until the parts are
 * single items. The result is 1-minimal: removing any one item makes the test fail. The empty set is tried first
 * (the caller's fixed part alone may be enough).
 */
export function ddmin<T>(items: readonly T[], test: (subset: T[]) => boolean): DdminResult<T> {
  let current = [...items];
  try {
    if (current.length === 0 || test([])) return { items: [], complete: true };
    let n = 2;
    while (current.length >= 2) {
      const parts = split(current, Math.min(n, current.length));
      let reduced = false;
      for (const part of parts) {
        if (part.length < current.length && test(part)) {
          current = part;
          n = 2;
          reduced = true;
          break;
        }
      }
      if (!reduced && parts.length > 2) {
        for (let i = 0; i < parts.length; i++) {
          const complement = parts.filter((_, j) => j !== i).flat();
          if (test(complement)) {
            current = complement;
            n = Math.max(n - 1, 2);
            reduced = true;
            break;
          }
        }
      }
      if (reduced) continue;
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
    return { items: current, complete: true };
  } catch (error) {
    if (error instanceof OutOfTime) return { items: current, complete: false };
    throw error;
  }
}

/** `items` in `n` contiguous parts of nearly equal size (order kept: neighbouring ticks stay together). */
function split<T>(items: readonly T[], n: number): T[][] {
  const parts: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((items.length - start) / (n - i));
    parts.push(items.slice(start, end));
    start = end;
  }
  return parts;
}
