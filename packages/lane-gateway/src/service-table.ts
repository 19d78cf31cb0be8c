import type { ServiceConfig } from './config-types.js';

interface ServiceEntry<T> {
  name: string;
  hosts: ReadonlySet<string>;
  pathPrefix: string;
  value: T;
}

/** Picks the service of a request by Host and path: the longest matching prefix, host-specific before any-host. */
export class ServiceTable<T> {
  private readonly entries: ServiceEntry<T>[];
  /** The one service that matches everything, when that is all there is: no lookup at all. */
  private readonly only: ServiceEntry<T> | undefined;

  constructor(services: Record<string, ServiceConfig>, build: (name: string, service: ServiceConfig) => T) {
    this.entries = Object.entries(services).map(([name, service]) => ({
      name,
      hosts: new Set(service.match.hosts),
      pathPrefix: service.match.pathPrefix,
      value: build(name, service),
    }));
    this.entries.sort(
      (a, b) => b.pathPrefix.length - a.pathPrefix.length || Number(b.hosts.size > 0) - Number(a.hosts.size > 0),
    );
    const first = this.entries[0];
    this.only =
      this.entries.length === 1 && first && first.hosts.size === 0 && first.pathPrefix === '/' ? first : undefined;
  }

  get size(): number {
    return this.entries.length;
  }

  values(): T[] {
    return this.entries.map((entry) => entry.value);
  }

  match(hostHeader: string | undefined, path: string): T | undefined {
    if (this.only) return this.only.value;
    const host = hostHeader ? stripPort(hostHeader).toLowerCase() : '';
    for (const entry of this.entries) {
      if (entry.hosts.size > 0 && !entry.hosts.has(host)) continue;
      if (pathHasPrefix(path, entry.pathPrefix)) return entry.value;
    }
    return undefined;
  }
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** `/api` matches `/api`, `/api/x` and `/api?q`, never `/apix`. */
function pathHasPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  if (!path.startsWith(prefix)) return false;
  if (path.length === prefix.length || prefix.endsWith('/')) return true;
  const next = path[prefix.length];
  return next === '/' || next === '?';
}
