import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GATEWAY_ERRORS } from './gateway-answer.js';
import { describeError } from './health-checker.js';
import { upgradeRequestHeaders } from './http-headers.js';
import { keepRoutedLane } from './lane-forwarding.js';
import { checkRequestTarget } from './request-target.js';
import { applyLaneInjection, routeRequest } from './route-request.js';
import type { RoutingTable } from './routing-table.js';

/** Writes a complete HTTP error response on a raw socket (an upgrade has no ServerResponse) and closes it. */
function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: code, message });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nx-lanes-error: ${code}\r\n\r\n${body}`,
  );
}

function serializeHead(req: IncomingMessage, headers: Record<string, string | string[]>): string {
  let head = `${req.method} ${req.url} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
  }
  return `${head}\r\n`;
}

/**
 * WebSocket (and any other `Upgrade`) passthrough: routed like a request, then the gateway splices the two
 * sockets and steps aside; the replica's `101 Switching Protocols` and every frame pass through untouched.
 */
export function tunnelUpgrade(table: RoutingTable, req: IncomingMessage, client: Duplex, head: Buffer): void {
  client.on('error', () => client.destroy());
  const form = checkRequestTarget(req);
  if (form.type !== 'proxy') {
    const kind = form.type === 'reject' ? form.kind : 'badRequest';
    const message = form.type === 'reject' ? form.message : 'OPTIONS * cannot be upgraded';
    rejectUpgrade(client, GATEWAY_ERRORS[kind].status, GATEWAY_ERRORS[kind].code, message);
    return;
  }
  const routed = routeRequest(table, req);
  if (!routed.ok) {
    rejectUpgrade(client, GATEWAY_ERRORS[routed.kind].status, GATEWAY_ERRORS[routed.kind].code, routed.message);
    return;
  }
  const stats = routed.route.stats.get(routed.lane);
  const started = performance.now();
  const target = new URL(routed.replica.url);
  const headers = upgradeRequestHeaders(req);
  applyLaneInjection(table, req, routed, headers);
  keepRoutedLane(table, req, routed, headers);
  const upstream: Socket = connect({ host: target.hostname, port: Number(target.port) });
  let connected = false;
  upstream.setNoDelay(true);
  upstream.once('connect', () => {
    connected = true;
    routed.replica.recordSuccess();
    stats?.record(101, (performance.now() - started) / 1000);
    upstream.write(serializeHead(req, headers));
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', (error) => {
    if (connected) {
      client.destroy();
      return;
    }
    routed.replica.recordFailure(describeError(error));
    const { status, code } = GATEWAY_ERRORS.upstreamFailed;
    stats?.record(status, (performance.now() - started) / 1000);
    const message = `upstream ${routed.replica.url} of lane "${routed.lane}" of service "${routed.route.name}" failed: ${describeError(error)}`;
    rejectUpgrade(client, status, code, message);
  });
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
}
