import { DASH, isDigit, isLcAlpha } from './chars.js';

const MAX_LANE_NAME = 63;

/** True when `s[start, end)` is a lane name; lets scanners check a slice of a header without copying it. */
export function isLaneNameAt(s: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > MAX_LANE_NAME) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isLcAlpha(c) || isDigit(c)) continue;
    if (c !== DASH || i === start || i === end - 1) return false;
  }
  return true;
}

/**
 * True when `name` is a lane name: a lowercase DNS label, `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`, so it is
 * safe in hostnames, Kubernetes names and header values alike.
 */
export function isValidLaneName(name: string): boolean {
  return isLaneNameAt(name, 0, name.length);
}
