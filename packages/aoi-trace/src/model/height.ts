// Height (format 2.2; docs/aoi.md, "Height"): an entity's z and the vertical half-heights of its view cylinder.
// Optional per entity and per update: a trace of a 2D world carries none. A field left out of a spawn means the
// engine's default (z 0, no vertical limit: Infinity); left out of an update, it keeps its value.

/** The height fields of a spawn, an update or an entity. Infinity (no vertical limit) is a valid half-height. */
export interface HeightFields {
  z?: number;
  viewHeight?: number;
  leaveHeight?: number;
}

/**
 * z as a trace stores it: -0 becomes 0. The rule cannot tell them apart, and NDJSON cannot write -0
 * (`JSON.stringify(-0)` is "0"), so a -0 kept in a trace would not survive its own export.
 */
export const tracedZ = (z: number): number => (z === 0 ? 0 : z);

/** Copies the height fields that are present (an update's: the others keep their value). */
export function copyHeight(into: HeightFields, from: Readonly<HeightFields>): void {
  if (from.z !== undefined) into.z = tracedZ(from.z);
  if (from.viewHeight !== undefined) into.viewHeight = from.viewHeight;
  if (from.leaveHeight !== undefined) into.leaveHeight = from.leaveHeight;
}

/** The height fields present in `from`, as a new object (empty for a 2D entity). */
export function heightOf(from: Readonly<HeightFields>): HeightFields {
  const out: HeightFields = {};
  copyHeight(out, from);
  return out;
}

/** Whether any height field is present. */
export const hasHeight = (fields: Readonly<HeightFields>): boolean =>
  fields.z !== undefined || fields.viewHeight !== undefined || fields.leaveHeight !== undefined;
