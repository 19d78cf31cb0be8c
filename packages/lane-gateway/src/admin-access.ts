import type { IncomingHttpHeaders } from 'node:http';
import { isIPv4 } from 'node:net';
import { bearerMatches } from './admin-token.js';

/**
 * Who may use the admin API. A web page can make the browser send requests to loopback (cross-site forms, `no-cors`
 * fetches) and, through DNS rebinding, even same-origin ones under a foreign `Host`; these checks refuse both.
 */
export type AdminAccess =
  | { type: 'allowed' }
  | { type: 'refused'; status: 401 | 403 | 415 | 421; error: string; headers?: Record<string, string> };

/** Methods that only read: everything else changes state and needs the token. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** `localhost`, an address in 127.0.0.0/8, or `::1` (bracketed, as in a Host header or URL). */
export function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '[::1]') return true;
  return isIPv4(name) && name.split('.')[0] === '127';
}

/** Splits `host[:port]` (IPv6 literals bracketed); undefined when it is not that shape. */
function splitAuthority(authority: string): { host: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d*))?$/.exec(authority);
  if (!match) return undefined;
  return { host: match[1]!, port: match[2] };
}

/**
 * Whether a `Host` header names this admin listener by a loopback name: `localhost`, 127.0.0.0/8 or `[::1]`, with
 * no port or the admin port. A rebinding attacker's name (`rebind.attacker.example`) fails, whatever it resolves to.
 */
export function isLoopbackHost(header: string | undefined, adminPort: number): boolean {
  if (header === undefined) return false;
  const parts = splitAuthority(header.trim());
  if (!parts || !isLoopbackName(parts.host)) return false;
  return parts.port === undefined || (parts.port !== '' && Number(parts.port) === adminPort);
}

/**
 * Whether an `Origin` header is the admin API's own origin: `http`, a loopback name, the admin port (RFC 6454
 * serialization omits port 80). Any other page, `null` included, is a different origin and is refused.
 */
export function isAdminOrigin(header: string, adminPort: number): boolean {
  const match = /^http:\/\/([^/?#@]+)$/i.exec(header.trim());
  if (!match) return false;
  const parts = splitAuthority(match[1]!);
  if (!parts || !isLoopbackName(parts.host)) return false;
  const port = parts.port === undefined ? 80 : parts.port === '' ? Number.NaN : Number(parts.port);
  return port === adminPort;
}

/** `application/json`, parameters (charset) allowed; the media type is case-insensitive (RFC 9110 §8.3.1). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export interface AdminRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The port the request arrived on. */
  adminPort: number;
}

/**
 * Decides whether the admin API serves a request: Host and Origin for every request, then for anything but a read
 * the bearer token (when the gateway has none, changing state through the API is off) and a JSON content type,
 * which a form or a `no-cors` fetch cannot send.
 */
export function checkAdminAccess(request: AdminRequest, token: string | undefined): AdminAccess {
  const { headers, adminPort } = request;
  if (!isLoopbackHost(headers.host, adminPort)) {
    const got = headers.host === undefined ? 'none' : JSON.stringify(headers.host);
    return {
      type: 'refused',
      status: 421,
      error: `the admin API answers only to Host localhost, 127.0.0.1 or [::1] (optionally with port ${adminPort}); got ${got}`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && !isAdminOrigin(origin, adminPort)) {
    return {
      type: 'refused',
      status: 403,
      error: `requests from web pages of other origins are refused; got Origin ${JSON.stringify(origin)}`,
    };
  }
  if (READ_METHODS.has(request.method)) return { type: 'allowed' };
  if (token === undefined) {
    return {
      type: 'refused',
      status: 403,
      error: `${request.method} on the admin API is off: the gateway has no admin token; set admin.tokenFile in its configuration`,
    };
  }
  if (!bearerMatches(headers.authorization, token)) {
    return {
      type: 'refused',
      status: 401,
      error: `${request.method} on the admin API needs "Authorization: Bearer <token>" with the token in admin.tokenFile`,
      headers: { 'www-authenticate': 'Bearer realm="lanes-gateway-admin"' },
    };
  }
  if (!isJsonContentType(headers['content-type'])) {
    const got = headers['content-type'] === undefined ? 'none' : JSON.stringify(headers['content-type']);
    return {
      type: 'refused',
      status: 415,
      error: `${request.method} on the admin API needs Content-Type: application/json; got ${got}`,
    };
  }
  return { type: 'allowed' };
}
