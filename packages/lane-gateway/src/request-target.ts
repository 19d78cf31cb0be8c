import type { IncomingMessage } from 'node:http';
import type { GatewayErrorKind } from './gateway-answer.js';

/**
 * Most header fields a request may have. Node keeps only the first `server.maxHeadersCount` (default 2000) and
 * drops the rest without a word (https://nodejs.org/api/http.html#servermaxheaderscount), so the gateway lets
 * Node keep one more and answers 431 when that one is there: a lane header past the cut must not vanish.
 */
export const MAX_HEADER_FIELDS = 2000;

/** What the gateway answers itself, before any routing, about the form of a request. */
export type TargetCheck =
  | { type: 'proxy' }
  | { type: 'serverOptions' }
  | { type: 'reject'; kind: GatewayErrorKind; message: string };

const PROXY: TargetCheck = { type: 'proxy' };

/** RFC 9112 §3.2.2 absolute-form: `http://authority/path?query`. */
const ABSOLUTE_FORM = /^https?:\/\//i;
/** RFC 3986 §3.2.2 host (reg-name, IPv4 or bracketed IPv6) with an optional port; no userinfo. */
const AUTHORITY = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~%!$&'()*+,;=]+)(?::[0-9]*)?$/i;

function reject(kind: GatewayErrorKind, message: string): TargetCheck {
  return { type: 'reject', kind, message };
}

/**
 * Checks the request line and header count, and rewrites an absolute-form target to origin-form in place:
 * RFC 9112 §3.2.2 says the authority of the target replaces Host, and an origin server (what a replica is)
 * expects origin-form, so `req.url` becomes the path and `req.headers.host` the authority. Routing, forwarding
 * headers and the access log then all see the request as the replica will.
 */
export function checkRequestTarget(req: IncomingMessage): TargetCheck {
  if (req.rawHeaders.length > MAX_HEADER_FIELDS * 2) {
    return reject('tooManyHeaderFields', `more than ${MAX_HEADER_FIELDS} header fields`);
  }
  const target = req.url ?? '';
  if (target.startsWith('/')) return PROXY;
  if (target === '*') {
    // RFC 9112 §3.2.4: asterisk-form is only for OPTIONS, and asks about the server as a whole (RFC 9110 §9.3.7).
    if (req.method === 'OPTIONS') return { type: 'serverOptions' };
    return reject('badRequest', `request target "*" is only allowed with OPTIONS, not ${req.method}`);
  }
  if (!ABSOLUTE_FORM.test(target)) {
    return reject('badRequest', `request target must start with "/" or "http://", got "${target.slice(0, 100)}"`);
  }
  const afterScheme = target.indexOf('//') + 2;
  let pathStart = afterScheme;
  while (pathStart < target.length && target[pathStart] !== '/' && target[pathStart] !== '?') pathStart++;
  const authority = target.slice(afterScheme, pathStart);
  if (!AUTHORITY.test(authority)) {
    // RFC 9110 §4.2.4: userinfo in an http(s) URI is to be treated as an error.
    return reject('badRequest', `request target has an invalid authority "${authority.slice(0, 100)}"`);
  }
  const rest = target.slice(pathStart);
  if (rest === '' && req.method === 'OPTIONS') return { type: 'serverOptions' }; // RFC 9112 §3.2.4
  req.url = rest.startsWith('/') ? rest : `/${rest}`;
  req.headers.host = authority;
  return PROXY;
}
