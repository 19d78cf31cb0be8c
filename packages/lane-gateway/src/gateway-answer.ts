import type { ServerResponse } from 'node:http';

/** Error codes of answers the gateway makes itself (never the upstream's): stable for scripts and tests. */
export const GATEWAY_ERRORS = {
  badRequest: { status: 400, code: 'bad_request' },
  clientBodyTimeout: { status: 408, code: 'client_body_timeout' },
  tooManyHeaderFields: { status: 431, code: 'too_many_header_fields' },
  noService: { status: 404, code: 'no_service' },
  laneDown: { status: 503, code: 'no_healthy_replica' },
  upstreamFailed: { status: 502, code: 'upstream_failed' },
  upstreamTimeout: { status: 504, code: 'upstream_timeout' },
} as const;

export type GatewayErrorKind = keyof typeof GATEWAY_ERRORS;

/** Writes a JSON error body that names what failed (service, lane, replica), so the client can tell who to blame. */
export function answerError(
  res: ServerResponse,
  kind: GatewayErrorKind,
  message: string,
  detail: { service?: string | undefined; lane?: string | undefined },
): number {
  const { status, code } = GATEWAY_ERRORS[kind];
  const body = JSON.stringify({ error: code, message, service: detail.service, lane: detail.lane });
  if (!res.headersSent) {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-lanes-error': code,
    });
  }
  res.end(body);
  return status;
}
