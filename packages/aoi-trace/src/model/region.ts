// The seed's region and spatial hash of an event, derived from recorded positions (never stored).

/** A square region `[x, y, w, h]` (the seed's `oldRegion` / `newRegion`): the cell that holds the point. */
export function regionOf(x: number, y: number, size: number): [number, number, number, number] {
  return [Math.floor(x / size) * size, Math.floor(y / size) * size, size, size];
}

/**
 * The seed's `spatialHash`: the Z-order (Morton) code of the point's cell, as 16 hex digits. Cells near each other
 * share long prefixes, which is what the seed used Geohash for; game maps are planar, so no latitude/longitude.
 */
export function spatialHash(x: number, y: number, size: number): string {
  const cx = (Math.floor(x / size) + 0x80000000) >>> 0;
  const cy = (Math.floor(y / size) + 0x80000000) >>> 0;
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    const pair = (((cy >>> bit) & 1) << 1) | ((cx >>> bit) & 1);
    if (bit < 16) lo = (lo | (pair << (2 * bit))) >>> 0;
    else hi = (hi | (pair << (2 * (bit - 16)))) >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
