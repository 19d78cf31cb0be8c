// Gateway settings compared with each other in the same run, on the same traced load (every request carries a
// W3C traceparent with a fresh trace id). The first variant is the baseline the others are divided by; adding a
// variant (say `admission`) is one more line here. Each variant runs as target `gateway-1-<id>`.

/**
 * @typedef {object} GatewayVariant
 * @property {string} id
 * @property {string} label
 * @property {Record<string, unknown>} settings top-level gateway config fields laid over gateway-config.js
 */

/** Admission that trusts every client: the lane tag is checked against one range and kept. */
const ALL = { trusted: ['0.0.0.0/0', '::/0'] };

/** @type {GatewayVariant[]} */
export const GATEWAY_VARIANTS = [
  // Admission cannot be switched off (a gateway that trusts no one by mistake must not become one that trusts all):
  // trusting every address is its cheapest path, one CIDR test per tagged request, the closest to "without it".
  { id: 'plain', label: 'no leak tracking, everyone trusted', settings: { leaks: { enabled: false }, admission: ALL } },
  { id: 'leaks', label: 'leak tracking on, everyone trusted', settings: { leaks: { enabled: true }, admission: ALL } },
  { id: 'admission', label: 'admission (defaults), no leak tracking', settings: { leaks: { enabled: false } } },
  { id: 'both', label: 'admission (defaults) and leak tracking on', settings: { leaks: { enabled: true } } },
];

/** The req/s cost a feature may have against the baseline variant (issue 13): at most 5%. */
export const VARIANT_MIN_RATIO = 0.95;
