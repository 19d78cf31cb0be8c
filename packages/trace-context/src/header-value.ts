/**
 * Inputs longer than this are refused whole as hostile. A tracestate at its limits (32 members of 513 chars)
 * is about 16 KiB and Node's default total header limit is 16 KiB, so nothing legitimate comes close.
 */
export const MAX_HEADER_INPUT_LENGTH = 65_536;

/** A header as it arrives: absent, one field, or several fields (Node's `headersDistinct`, fetch, tests). */
export type HeaderInput = string | readonly string[] | undefined;

/**
 * Combines several header fields into one value the way RFC 9110 §5.3 does (in order, joined with a comma).
 * Returns `undefined` when absent or too large to be legitimate.
 */
export function combineFields(value: HeaderInput): string | undefined {
  let combined: string | undefined;
  if (typeof value === 'string') combined = value;
  else if (value === undefined || value.length === 0) return undefined;
  else combined = value.length === 1 ? value[0] : value.join(',');
  if (combined === undefined || combined.length > MAX_HEADER_INPUT_LENGTH) return undefined;
  return combined;
}
