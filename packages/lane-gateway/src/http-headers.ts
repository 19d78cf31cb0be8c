import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 section 7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Node answers `Expect: 100-continue` itself; undici refuses to send it. */
const NOT_FORWARDED_UPSTREAM = new Set([...HOP_BY_HOP, 'expect']);

function connectionTokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  const tokens: string[] = [];
  for (const part of joined.split(',')) {
    const token = part.trim().toLowerCase();
    if (token && token !== 'close' && token !== 'keep-alive') tokens.push(token);
  }
  return tokens;
}

/** Copies headers without hop-by-hop ones, including those the `Connection` header names. */
function withoutHopByHop<T extends IncomingHttpHeaders | Record<string, string | string[]>>(
  headers: T,
  drop: ReadonlySet<string>,
): Record<string, string | string[]> {
  const extra = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || drop.has(name)) continue;
    if (extra.length > 0 && extra.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

function appendList(existing: string | string[] | undefined, value: string): string {
  if (existing === undefined) return value;
  return `${Array.isArray(existing) ? existing.join(', ') : existing}, ${value}`;
}

function forwardedNode(address: string): string {
  // RFC 7239: IPv6 addresses are bracketed and the whole node quoted.
  return address.includes(':') ? `"[${address}]"` : address;
}

/** The headers sent upstream: hop-by-hop removed, `X-Forwarded-*` and `Forwarded` appended. */
export function upstreamRequestHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers = withoutHopByHop(req.headers, NOT_FORWARDED_UPSTREAM);
  const clientAddress = req.socket.remoteAddress ?? 'unknown';
  const host = req.headers.host;
  headers['x-forwarded-for'] = appendList(req.headers['x-forwarded-for'], clientAddress);
  headers['x-forwarded-proto'] = 'http';
  if (host !== undefined) headers['x-forwarded-host'] = host;
  const hostPart = host !== undefined ? `;host="${host.replace(/["\\]/g, '')}"` : '';
  headers.forwarded = appendList(req.headers.forwarded, `for=${forwardedNode(clientAddress)};proto=http${hostPart}`);
  return headers;
}

/** The response headers sent back to the client: hop-by-hop removed. */
export function downstreamResponseHeaders(headers: Record<string, string | string[]>): OutgoingHttpHeaders {
  return withoutHopByHop(headers, HOP_BY_HOP);
}

/** The headers of a WebSocket (or other) upgrade: keeps `Connection` and `Upgrade`, adds forwarding headers. */
export function upgradeRequestHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers = upstreamRequestHeaders(req);
  headers.connection = 'Upgrade';
  if (req.headers.upgrade !== undefined) headers.upgrade = req.headers.upgrade;
  return headers;
}

/** Whether a request carries a body; a body-less request must not be sent with chunked encoding. */
export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/** Reads one cookie from a `Cookie` header without parsing the rest. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const prefix = `${name}=`;
  for (const part of header.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return trimmed.slice(prefix.length);
  }
  return undefined;
}
