// Height in NDJSON (docs/aoi-trace-ndjson.md, "Height"): `z`, `viewHeight`, `leaveHeight` on spawns, updates and
// resync entities. JSON has no Infinity, and JSON.stringify writes it as null, so a half-height of null means
// "no vertical limit" (Infinity); a missing field is a missing field (the defaults of docs/aoi.md, "Height").

import type { HeightFields } from '../model/height.js';
import type { JsonFields } from './json-fields.js';

/** The height fields present on a JSON object; refuses a non-finite z and a negative or non-number half-height. */
export function parseHeightFields(fields: JsonFields): HeightFields {
  const out: HeightFields = {};
  if (fields.has('z')) {
    const z = fields.number('z');
    if (!Number.isFinite(z)) fields.fail('z', `must be a finite number, got ${String(z)}.`);
    out.z = z;
  }
  for (const key of ['viewHeight', 'leaveHeight'] as const) {
    if (!fields.has(key)) continue;
    if (fields.object[key] === null) {
      out[key] = Number.POSITIVE_INFINITY;
      continue;
    }
    const value = fields.number(key);
    if (!(value >= 0)) fields.fail(key, `must be a number >= 0, or null for no vertical limit, got ${value}.`);
    out[key] = value;
  }
  return out;
}
