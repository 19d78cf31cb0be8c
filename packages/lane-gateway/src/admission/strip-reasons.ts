/**
 * Why a lane tag was removed from a request, as counted in `lanes_gateway_lane_stripped_total{reason}`:
 * - `untrusted`: the client is outside `admission.trusted`, the lane is not open, and it had no token;
 * - `token-malformed`, `token-forged`, `token-expired`, `token-wrong-lane`: it had a token, and the token failed;
 * - `token-too-long`: a valid token that outlives `tokens.maxTtlMs` from now (issued under a longer limit);
 * - `bad-encoding`: the baggage `lane` value is not well-formed percent-encoding (removed for every client);
 * - `invalid-tag`: an untrusted request carried a lane member that names no valid lane.
 */
export const STRIP_REASONS = [
  'untrusted',
  'token-malformed',
  'token-forged',
  'token-expired',
  'token-wrong-lane',
  'token-too-long',
  'bad-encoding',
  'invalid-tag',
] as const;
export type StripReason = (typeof STRIP_REASONS)[number];

/** Slot of each reason in the per-lane counter arrays. */
export const STRIP_REASON_INDEX: Readonly<Record<StripReason, number>> = Object.freeze(
  Object.fromEntries(STRIP_REASONS.map((reason, index) => [reason, index])) as Record<StripReason, number>,
);
