import { AoiError, AoiErrorCode } from './errors.js';

/** Largest accepted id: ids are stored in Int32Arrays. */
export const MAX_ID = 0x7fffffff;

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
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new AoiError(
      AoiErrorCode.InvalidPosition,
      `${what}: entity ${id} needs a finite position, got (${String(x)}, ${String(y)}).`,
      id,
    );
  }
}

/** Returns the leave radius to use (the view radius when not given). */
export function checkRadii(id: number, view: number, leave: number | undefined, what: string): number {
  if (!Number.isFinite(view) || view < 0) {
    throw new AoiError(
      AoiErrorCode.InvalidRadius,
      `${what}: entity ${id} needs a finite view radius >= 0, got ${String(view)}.`,
      id,
    );
  }
  const resolved = leave ?? view;
  if (!Number.isFinite(resolved) || resolved < view) {
    throw new AoiError(
      AoiErrorCode.InvalidRadius,
      `${what}: entity ${id} needs a finite leave radius >= its view radius ${view}, got ${String(resolved)}.`,
      id,
    );
  }
  return resolved;
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
