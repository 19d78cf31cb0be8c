import type { ServiceConfig } from '../config-types.js';

/** nginx variable names per service (`lanes_s0`, ...): service names may hold `-`, which variable names cannot. */
export type ServiceIds = ReadonlyMap<string, string>;

export function serviceIds(services: Record<string, ServiceConfig>): ServiceIds {
  const names = Object.keys(services).sort();
  return new Map(names.map((name, i) => [name, `lanes_s${i}`]));
}

export function upstreamName(service: string, lane: string): string {
  return `lanes_${service}__${lane}`;
}

/** `default` is a keyword in `map`; a source value that spells it is escaped. */
export const mapKey = (lane: string): string => (lane === 'default' ? '\\default' : lane);

/**
 * split_clients shares in percent (two decimals, as nginx takes them) for the weighted lanes; the last gets `*`,
 * so rounding never leaves a gap. `default` goes last when weighted. nginx hashes with MurmurHash2 and the Node
 * engine with FNV-1a: the shares agree, which sticky key lands in which lane does not.
 */
export function splitShares(service: ServiceConfig): { lane: string; share: string }[] {
  const weighted = Object.entries(service.lanes)
    .filter(([, lane]) => lane.weight > 0)
    .sort(([a], [b]) => (a === 'default' ? 1 : b === 'default' ? -1 : a < b ? -1 : 1));
  const onlyDefault = weighted.length === 1 && weighted[0]![0] === 'default';
  const total = weighted.reduce((sum, [, lane]) => sum + lane.weight, 0);
  if (onlyDefault || total === 0) return [];
  return weighted.map(([lane, config], i) => ({
    lane,
    share: i === weighted.length - 1 ? '*' : `${(Math.floor((config.weight / total) * 10_000) / 100).toFixed(2)}%`,
  }));
}

function stickyKey(service: ServiceConfig): string {
  const sticky = service.stickiness;
  if (!sticky) return '$request_id';
  return 'header' in sticky ? `$http_${sticky.header.toLowerCase().replace(/-/g, '_')}` : `$cookie_${sticky.cookie}`;
}

/**
 * The maps of one service: tag to lane (a lane the service lacks falls back to default, no tag goes to the
 * split), lane to upstream (a lane without replicas falls back or is refused by whenLaneDown), the lane to write
 * downstream after a split, whether the carriers need rewriting, and the upstreams with passive health.
 */
export function renderServiceMaps(
  name: string,
  service: ServiceConfig,
  id: string,
  down: ReadonlySet<string> = NO_DOWN,
  native = false,
): string[] {
  const shares = splitShares(service);
  const lanes = Object.keys(service.lanes).sort();
  const fallback = service.whenLaneDown === 'fallback' ? upstreamName(name, 'default') : '""';
  const untagged = shares.length > 0 ? `$${id}_split` : 'default';
  const out = [`  # service ${name}`, `  map $lanes_tag $${id}_lane {`, `    "" ${untagged};`];
  for (const lane of lanes) out.push(`    ${mapKey(lane)} ${lane};`);
  out.push('    default default;', '  }');
  out.push(`  map $${id}_lane $${id}_upstream {`);
  for (const lane of lanes) {
    const replicas = service.lanes[lane]!.replicas;
    const target = replicas.length > 0 ? upstreamName(name, lane) : lane === 'default' ? '""' : fallback;
    out.push(`    ${mapKey(lane)} ${target};`);
  }
  out.push('    default "";', '  }');
  if (shares.length > 0) {
    const key = stickyKey(service);
    out.push(`  map ${key} $${id}_key {`, '    "" $request_id;', `    default ${key};`, '  }');
    out.push(`  split_clients "$${id}_key" $${id}_split {`);
    for (const { lane, share } of shares) out.push(`    ${share} ${lane};`);
    out.push('  }', `  map $lanes_tag $${id}_inject {`, `    "" $${id}_split;`, '    default "";', '  }');
    const sticky = service.stickiness;
    if (sticky && 'cookie' in sticky) {
      const cookie = `${sticky.cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax`;
      out.push(
        `  map "$lanes_tag:$cookie_${sticky.cookie}" $${id}_set_cookie {`,
        `    ":" "${cookie}";`,
        '    default "";',
        '  }',
      );
    }
  } else {
    out.push(`  map $lanes_tag $${id}_inject {`, '    default "";', '  }');
  }
  // Untrusted clients with a carrier, or a lane to write: the carriers go through njs (render-config.ts). With the
  // native lane module, a split lane for a request without carriers is written without njs (2: render-lane-tag.ts).
  const injectedAlone = native ? shares.flatMap(({ lane }) => [`    "00:${lane}" 2;`, `    "01:${lane}" 2;`]) : [];
  out.push(
    `  map "$lanes_has_carrier$lanes_trusted:$${id}_inject" $${id}_rewrite {`,
    '    00: 0;',
    '    01: 0;',
    '    11: 0;',
    ...injectedAlone,
    '    default 1;',
    '  }',
  );
  for (const lane of lanes) out.push(...renderUpstream(name, service, lane, down));
  return out;
}

const NO_DOWN: ReadonlySet<string> = new Set();

/**
 * Passive health as nginx has it: `max_fails` failures within `fail_timeout` take a server out for that long. Active
 * health is the supervisor's (nginx-health.ts): a replica its checks hold unhealthy is rendered `down`.
 */
function renderUpstream(name: string, service: ServiceConfig, lane: string, down: ReadonlySet<string>): string[] {
  const replicas = service.lanes[lane]!.replicas;
  if (replicas.length === 0) return [];
  const { consecutiveFailures, ejectMs } = service.passiveHealth;
  // fail_timeout takes whole seconds (ngx_http_upstream_server parses it with seconds only): rounded up.
  const seconds = Math.max(1, Math.ceil(ejectMs / 1000));
  const server = (url: string, extra: string): string =>
    `    server ${new URL(url).host} max_fails=${consecutiveFailures} fail_timeout=${seconds}s${extra}${down.has(url) ? ' down' : ''};`;
  const out = [`  upstream ${upstreamName(name, lane)} {`, ...replicas.map((url) => server(url, ''))];
  // whenLaneDown "fallback": once every replica of the lane is out, the default lane's replicas take its requests.
  if (lane !== 'default' && service.whenLaneDown === 'fallback') {
    for (const url of service.lanes.default?.replicas ?? []) out.push(server(url, ' backup'));
  }
  out.push('    keepalive 64;', '    keepalive_requests 1000000;', '  }');
  return out;
}
