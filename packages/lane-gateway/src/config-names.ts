import { isIP, isIPv6 } from 'node:net';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Lowercase DNS label: the rule for service names, because they end up in hostnames, AWS resource names and metric
 * labels. Lane names follow the same rule, checked by `isValidLaneName` of `@lanes/trace-context`.
 */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

/** RFC 9110 `token`: the characters allowed in a header name (and, per RFC 6265, in a cookie name). */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isHttpToken(name: string): boolean {
  return HTTP_TOKEN.test(name);
}

/** Underscores are not legal in DNS but are common in container and compose hostnames, so they are let through. */
const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A lowercase hostname or IPv4 address, as it appears in a Host header without its port. */
export function isHostname(host: string): boolean {
  return host.length <= 253 && host.split('.').every((label) => HOST_LABEL.test(label));
}

/** What a listener may bind to: an IP address (IPv6 without brackets, as `net.Server.listen` wants) or a hostname. */
export function isBindHost(host: string): boolean {
  return isIP(host) !== 0 || isHostname(host);
}

/** The admin API is for this machine only (reads need no token), so it may only be reachable from it. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export type Checked = { ok: true; value: string } | { ok: false; message: string };

/** A `match.hosts` entry, lowercased; IPv6 literals keep their brackets because that is how Host headers carry them. */
export function checkMatchHost(raw: string): Checked {
  const host = raw.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']') && isIPv6(host.slice(1, -1))) return { ok: true, value: host };
  if (isHostname(host)) return { ok: true, value: host };
  const got = `got ${JSON.stringify(raw)}`;
  const withoutPort = /^(.*):\d+$/.exec(host)?.[1];
  if (withoutPort !== undefined && (isHostname(withoutPort) || /^\[.*\]$/.test(withoutPort))) {
    return { ok: false, message: `hosts are matched without their port; use "${withoutPort}" (${got})` };
  }
  if (host.includes('*')) return { ok: false, message: `wildcards are not supported; list each host (${got})` };
  return { ok: false, message: `expected a hostname such as "shop.localhost" (no scheme, port or path), ${got}` };
}

/** `host:port` of an `http://` URL with an explicit port, or a message saying what is wrong with it. */
function replicaAuthority(raw: string): Checked {
  const expected = `expected an http:// URL with host and port, got ${JSON.stringify(raw)}`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (!scheme) {
    const guess = `http://${raw}`;
    const hint = checkReplicaUrl(guess).ok ? ` (did you mean "${guess}"?)` : '';
    return { ok: false, message: `${expected}${hint}` };
  }
  if (scheme[1]!.toLowerCase() !== 'http') {
    return { ok: false, message: `${expected}; the gateway talks plain HTTP to replicas` };
  }
  const rest = raw.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const tail = end === -1 ? '' : rest.slice(end);
  if (authority.includes('@')) {
    return { ok: false, message: `${expected}; credentials are not allowed in a replica URL` };
  }
  if (tail !== '' && tail !== '/') {
    return {
      ok: false,
      message: `${expected}; remove the path, query or fragment "${tail}" (requests keep their path)`,
    };
  }
  if (!/:\d+$/.test(authority))
    return { ok: false, message: `${expected}; add the port, e.g. "http://127.0.0.1:3000"` };
  return { ok: true, value: authority };
}

/** Normalises a replica URL to `http://host:port`, so that duplicates and metrics labels compare equal. */
export function checkReplicaUrl(raw: string): Checked {
  const authority = replicaAuthority(raw);
  if (!authority.ok) return authority;
  const expected = `expected an http:// URL with host and port, got ${JSON.stringify(raw)}`;
  const port = Number(/:(\d+)$/.exec(authority.value)![1]);
  if (port < 1 || port > 65535) return { ok: false, message: `${expected}; the port must be from 1 to 65535` };
  let url: URL;
  try {
    url = new URL(`http://${authority.value}`);
  } catch {
    return { ok: false, message: expected };
  }
  if (url.hostname === '') return { ok: false, message: expected };
  return { ok: true, value: `http://${url.hostname}:${port}` };
}
