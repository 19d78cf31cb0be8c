import { AoiError, AoiErrorCode } from './errors.js';

/** Largest accepted id: ids are stored in Int32Arrays. */
export const MAX_ID = 0x7fffffff;

/**
 * Largest accepted |x| and |y|. Squared distances are computed in doubles: between two positions within ±2^500 a
 * squared distance is at most 8 × 2^1000 = 2^1003, far below Number.MAX_VALUE (~2^1024), so it never overflows to
 * Infinity and every algorithm compares the same finite numbers.
 */
export const MAX_COORDINATE = 2 ** 500;

/**
 * Largest accepted view or leave radius, grid `skin` and `cellSize`. A radius r is compared as r² and the grid's reach
 * is leave + skin, at most 2^501, whose square 2^1002 is finite. Beyond ~1.34e154 (2^512) r² is Infinity and the
 * grid and the brute-force oracle disagreed about who sees whom.
 */
export const MAX_RADIUS = 2 ** 500;

export function checkId(id: number, what: string): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_ID) {
    throw new AoiError(
      AoiErrorCode.InvalidId,
      `${what}: id must be an integer from 0 to ${MAX_ID}, got ${String(id)}.`,
      typeof id === 'number' ? id : undefined,
    );
  }
}

export function checkPosition(id: number, x: number, y: number, what: string): void {
  if (!(Math.abs(x) <= MAX_COORDINATE && Math.abs(y) <= MAX_COORDINATE)) {
    throw new AoiError(
      AoiErrorCode.InvalidPosition,
      `${what}: entity ${id} needs a position with finite coordinates within ±2^500 (${MAX_COORDINATE}), got (${String(x)}, ${String(y)}).`,
      id,
    );
  }
}

/** An entity's z (height): finite and within ±{@link MAX_COORDINATE}, like x and y. */
export function checkZ(id: number, z: number, what: string): void {
  if (!(Math.abs(z) <= MAX_COORDINATE)) {
    throw new AoiError(
      AoiErrorCode.InvalidPosition,
      `${what}: entity ${id} needs a finite z within ±2^500 (${MAX_COORDINATE}), got ${String(z)}.`,
      id,
    );
  }
}

/** A vertical half-height: from 0 to {@link MAX_RADIUS}, or Infinity (no vertical limit, the default). */
const validHeight = (h: number, low: number) => h >= low && (h <= MAX_RADIUS || h === Number.POSITIVE_INFINITY);

/**
 * The vertical half-heights of the view and leave cylinders; returns the leave half-height to use (the view's when
 * not given). Infinity means unbounded. |dz| of two valid z is at most 2^501, compared as is (never squared).
 */
export function checkHeights(id: number, view: number, leave: number | undefined, what: string): number {
  if (!validHeight(view, 0)) {
    throw new AoiError(
      AoiErrorCode.InvalidRadius,
      `${what}: entity ${id} needs a view height from 0 to 2^500 (${MAX_RADIUS}) or Infinity, got ${String(view)}.`,
      id,
    );
  }
  const resolved = leave ?? view;
  if (!validHeight(resolved, view)) {
    throw new AoiError(
      AoiErrorCode.InvalidRadius,
      `${what}: entity ${id} needs a leave height from its view height ${view} to 2^500 (${MAX_RADIUS}) or Infinity, got ${String(resolved)}.`,
      id,
    );
  }
  return resolved;
}

/** Returns the leave radius to use (the view radius when not given). */
export function checkRadii(id: number, view: number, leave: number | undefined, what: string): number {
  if (!(view >= 0 && view <= MAX_RADIUS)) {
    throw new AoiError(
      AoiErrorCode.InvalidRadius,
      `${what}: entity ${id} needs a view radius from 0 to 2^500 (${MAX_RADIUS}), got ${String(view)}.`,
      id,
    );
  }
  const resolved = leave ?? view;
  if (!(resolved >= view && resolved <= MAX_RADIUS)) {
    throw new AoiError(
      AoiErrorCode.InvalidRadius,
      `${what}: entity ${id} needs a leave radius from its view radius ${view} to 2^500 (${MAX_RADIUS}), got ${String(resolved)}.`,
      id,
    );
  }
  return resolved;
}

/** Grid `skin` (>= 0) and `cellSize` (> 0): finite and at most {@link MAX_RADIUS}, as they add to radii. */
export function checkGridLength(name: 'skin' | 'cellSize', value: number | undefined): void {
  if (value === undefined) return;
  const low = name === 'skin' ? value >= 0 : value > 0;
  if (!(low && value <= MAX_RADIUS)) {
    const range = name === 'skin' ? 'from 0' : 'greater than 0 and';
    throw new AoiError(
      AoiErrorCode.InvalidOption,
      `${name} must be a number ${range} up to 2^500 (${MAX_RADIUS}), got ${String(value)}.`,
    );
  }
}

/** Tag masks are 32-bit: accepts any integer in the int32 or uint32 range and returns it as int32. */
export function checkMask(id: number, mask: number, name: string, what: string): number {
  if (!Number.isInteger(mask) || mask < -0x80000000 || mask > 0xffffffff) {
    throw new AoiError(
      AoiErrorCode.InvalidOption,
      `${what}: entity ${id} needs ${name} as a 32-bit integer mask, got ${String(mask)}.`,
      id,
    );
  }
  return mask | 0;
}

/** Most worker threads a world may ask for: far above any core count this engine is measured on. */
export const MAX_WORKERS = 64;

/**
 * The `workers` option: threads per batched tick, the caller's included, an integer from 0 (the caller's thread
 * alone, the default; 1 is the same) to {@link MAX_WORKERS}.
 */
export function checkWorkers(workers: number | undefined): number {
  const value = workers ?? 0;
  if (!(Number.isInteger(value) && value >= 0 && value <= MAX_WORKERS)) {
    throw new AoiError(
      AoiErrorCode.InvalidOption,
      `workers must be an integer from 0 to ${MAX_WORKERS} (threads per tick, the caller's included), got ${String(workers)}.`,
    );
  }
  return value;
}

/** The `callerShare` option: a boolean, true when not given. */
export function checkCallerShare(callerShare: boolean | undefined): boolean {
  if (callerShare === undefined) return true;
  if (typeof callerShare !== 'boolean') {
    throw new AoiError(AoiErrorCode.InvalidOption, `callerShare must be true or false, got ${String(callerShare)}.`);
  }
  return callerShare;
}
