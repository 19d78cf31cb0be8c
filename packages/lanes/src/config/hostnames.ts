import { isIP, isIPv6 } from 'node:net';

/** Underscores are not legal in DNS but common in container hostnames, so they are let through (as the gateway does). */
const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A lowercase hostname or IPv4 address, as it appears in a Host header without its port. */
export function isHostname(host: string): boolean {
  return host.length <= 253 && host.split('.').every((label) => HOST_LABEL.test(label));
}

/** What a listener may bind to: an IP address (IPv6 without brackets, as `net.Server.listen` wants) or a hostname. */
export function isBindHost(host: string): boolean {
  return isIP(host) !== 0 || isHostname(host);
}

/** What is wrong with a lowercase `route.hosts` entry, or `undefined`; IPv6 literals keep their brackets there. */
export function routeHostProblem(host: string): string | undefined {
  if (isHostname(host)) return undefined;
  if (host.startsWith('[') && host.endsWith(']') && isIPv6(host.slice(1, -1))) return undefined;
  const withoutPort = /^(.*):\d+$/.exec(host)?.[1];
  if (withoutPort !== undefined && !withoutPort.includes(':')) {
    return `hosts are matched without their port; use "${withoutPort}"`;
  }
  if (host.includes('*')) return 'wildcards are not supported; list each host';
  return 'expected a hostname such as "shop.localhost" (no scheme, port or path)';
}
