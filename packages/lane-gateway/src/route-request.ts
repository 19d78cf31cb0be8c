import type { IncomingMessage } from 'node:http';
import { injectLane } from '@lanes/trace-context';
import type { LaneChoice } from './events.js';
import type { GatewayErrorKind } from './gateway-answer.js';
import type { LaneReplicas } from './lane-replicas.js';
import type { Replica } from './replica.js';
import type { RoutingTable, ServiceRoute } from './routing-table.js';

/** Where one request goes: service, lane (after any fallback), and the first replica to try. */
export interface RoutedRequest {
  ok: true;
  route: ServiceRoute;
  lane: string;
  choice: LaneChoice;
  requestedLane: string | undefined;
  replicas: LaneReplicas;
  replica: Replica;
  /** The lane to write into the forwarded request's first carrier, when the gateway chose it. */
  inject: boolean;
  setCookie: string | undefined;
}

/** Why a request cannot be routed; the gateway answers it itself. */
export interface RouteFailure {
  ok: false;
  kind: GatewayErrorKind;
  message: string;
  route: ServiceRoute | undefined;
  lane: string | undefined;
  choice: LaneChoice;
  requestedLane: string | undefined;
}

/** Service by host and path, lane by tag or weight, replica by health; falls back to `default` if so configured. */
export function routeRequest(table: RoutingTable, req: IncomingMessage): RoutedRequest | RouteFailure {
  const route = table.services.match(req.headers.host, req.url ?? '/');
  if (!route) {
    const message = `no service matches host "${req.headers.host ?? ''}" and path "${req.url ?? ''}"`;
    return {
      ok: false,
      kind: 'noService',
      message,
      route,
      lane: undefined,
      choice: 'default',
      requestedLane: undefined,
    };
  }
  const stripped = table.admission.check(req);
  if (stripped) (route.stats.get(stripped.lane ?? 'default') ?? route.stats.get('default'))?.strip(stripped.reason);
  const selection = route.selector.select(req.headers);
  if (selection.choice === 'tag') route.stats.get(selection.lane)!.admitted += 1;
  let lane = selection.lane;
  let choice: LaneChoice = selection.choice;
  let replicas = route.lanes.get(lane)!;
  let replica = replicas.pick();
  if (!replica && lane !== 'default' && route.config.whenLaneDown === 'fallback') {
    lane = 'default';
    choice = 'fallback';
    replicas = route.lanes.get(lane)!;
    replica = replicas.pick();
  }
  if (!replica) {
    const message = `no healthy replica in lane "${lane}" of service "${route.name}"`;
    return { ok: false, kind: 'laneDown', message, route, lane, choice, requestedLane: selection.requestedLane };
  }
  return {
    ok: true,
    route,
    lane,
    choice,
    requestedLane: selection.requestedLane,
    replicas,
    replica,
    inject: selection.inject,
    setCookie: selection.setCookie,
  };
}

/** Writes the gateway-chosen lane into the forwarded headers, so downstream calls stay in it. */
export function applyLaneInjection(
  table: RoutingTable,
  req: IncomingMessage,
  routed: RoutedRequest,
  headers: Record<string, string | string[]>,
): void {
  if (!routed.inject) return;
  const carrier = table.config.carriers[0]!;
  const options = { traceContextLevel: table.config.traceContext.level };
  headers[carrier] = injectLane(carrier, req.headers[carrier], routed.lane, options);
}
