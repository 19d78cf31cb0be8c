import type { IncomingMessage } from 'node:http';
import { injectLane } from '@lanes/trace-context';
import type { RoutedRequest } from './route-request.js';
import type { RoutingTable } from './routing-table.js';

/**
 * Puts back a lane carrier the client nominated as hop-by-hop (`Connection: tracestate`): dropping it would
 * route this hop by the lane and lose it on the next one. The carrier is rewritten with just the lane the
 * request was routed by (the tag it asked for, also when that fell back to `default` here), and nothing else
 * of the dropped header, which the client did ask not to forward.
 */
export function keepRoutedLane(
  table: RoutingTable,
  req: IncomingMessage,
  routed: RoutedRequest,
  headers: Record<string, string | string[]>,
): void {
  const lane = routed.requestedLane ?? (routed.choice === 'default' ? undefined : routed.lane);
  if (lane === undefined) return;
  for (const carrier of table.config.carriers) {
    if (req.headers[carrier] !== undefined && headers[carrier] === undefined) {
      headers[carrier] = injectLane(carrier, undefined, lane);
    }
  }
}
