// What every example service does with lane headers: pass them on, unchanged, to the calls it makes downstream,
// so a request tagged for a lane stays in that lane through the whole call chain (full-link lanes).
const LANE_HEADERS = ['traceparent', 'tracestate', 'baggage'];

/** The headers of `req` that must travel with every downstream call made on its behalf. */
export function propagatedHeaders(req) {
  /** @type {Record<string, string | string[]>} */
  const headers = {};
  for (const name of LANE_HEADERS) {
    if (req.headers[name] !== undefined) headers[name] = req.headers[name];
  }
  return headers;
}

/** Who answered: the platform tells each replica its service, lane and revision through the environment. */
export function identity(defaults) {
  return {
    service: process.env.LANES_SERVICE ?? defaults.service,
    lane: process.env.LANES_LANE ?? 'default',
    revision: process.env.LANES_REVISION ?? '0',
    version: process.env.VERSION ?? '1.0.0',
  };
}
