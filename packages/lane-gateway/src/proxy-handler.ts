import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { ClientBodyTimeout } from './client-body-timeout.js';
import { answerServerOptions, type ClientErrors } from './client-errors.js';
import type { GatewayEventSink, LaneChoice } from './events.js';
import { answerError, type GatewayErrorKind } from './gateway-answer.js';
import { describeError } from './health-checker.js';
import { downstreamResponseHeaders, hasRequestBody, upstreamRequestHeaders } from './http-headers.js';
import { keepRoutedLane } from './lane-forwarding.js';
import type { LeakTracker } from './leaks/leak-tracker.js';
import type { Replica } from './replica.js';
import { checkRequestTarget } from './request-target.js';
import { applyLaneInjection, type RoutedRequest, routeRequest } from './route-request.js';
import type { RoutingTable, ServiceRoute } from './routing-table.js';

/** The request never reached the replica: any body-less request may go to another one. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** The connection broke mid-exchange: only idempotent requests may be tried again. */
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

function errorCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

/** The HTTP side of the gateway: picks service, lane and replica, then streams the exchange through undici. */
export class ProxyHandler {
  constructor(
    private readonly table: () => RoutingTable,
    private readonly emit: GatewayEventSink | undefined,
    readonly clientErrors: ClientErrors,
    private readonly leaks?: LeakTracker,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const start = performance.now();
    const table = this.table();
    this.clientErrors.track(req, res);
    const target = checkRequestTarget(req);
    if (target.type !== 'proxy') {
      // Answered by the gateway about the request itself: no service or lane is involved, none is counted.
      const status =
        target.type === 'serverOptions' ? answerServerOptions(res) : answerError(res, target.kind, target.message, {});
      const error = target.type === 'reject' ? target.message : undefined;
      this.log(table, req, start, status, undefined, undefined, 'default', undefined, error);
      return;
    }
    const routed = routeRequest(table, req);
    if (routed.route && req.headers.traceparent !== undefined) {
      const carried = routed.requestedLane ?? (routed.ok && routed.inject ? routed.lane : undefined);
      this.leaks?.observe(req.headers.traceparent, carried, routed.route.name);
    }
    if (!routed.ok) {
      const status = answerError(res, routed.kind, routed.message, { service: routed.route?.name, lane: routed.lane });
      if (routed.route && routed.lane)
        routed.route.stats.get(routed.lane)?.record(status, (performance.now() - start) / 1000);
      this.log(
        table,
        req,
        start,
        status,
        routed.route,
        routed.lane,
        routed.choice,
        undefined,
        routed.kind,
        routed.requestedLane,
      );
      return;
    }
    const headers = upstreamRequestHeaders(req);
    applyLaneInjection(table, req, routed, headers);
    keepRoutedLane(table, req, routed, headers);
    new Exchange(this, table, req, res, routed, start, headers).send(routed.replica);
  };

  /** One access event, when anyone listens and the access log is on. */
  log(
    table: RoutingTable,
    req: IncomingMessage,
    start: number,
    status: number,
    route: ServiceRoute | undefined,
    lane: string | undefined,
    choice: LaneChoice,
    replica: Replica | undefined,
    error: string | undefined,
    requestedLane?: string,
  ): void {
    if (!this.emit || !table.config.accessLog) return;
    this.emit({
      event: 'access',
      time: new Date().toISOString(),
      method: req.method ?? '',
      path: req.url ?? '',
      service: route?.name ?? '',
      lane: lane ?? '',
      requestedLane,
      choice,
      replica: replica?.url,
      status,
      durationMs: Math.round((performance.now() - start) * 1000) / 1000,
      error,
    });
  }
}

/** One proxied request: a dispatch handler that streams the upstream response into the client response. */
class Exchange implements Dispatcher.DispatchHandler {
  private replica: Replica | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private attempts = 0;
  private readonly hasBody: boolean;
  private done = false;
  private readonly bodyTimeout: ClientBodyTimeout | undefined;

  constructor(
    private readonly proxy: ProxyHandler,
    private readonly table: RoutingTable,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly routed: RoutedRequest,
    private readonly start: number,
    private readonly headers: Record<string, string | string[]>,
  ) {
    this.hasBody = hasRequestBody(req);
    res.once('close', this.onClientClose);
    if (this.hasBody) {
      this.bodyTimeout = new ClientBodyTimeout(req, table.config.timeouts.clientBodyMs, this.onBodyStalled);
    }
  }

  send(replica: Replica): void {
    this.replica = replica;
    this.attempts += 1;
    replica.pool.dispatch(
      {
        path: this.req.url ?? '/',
        method: this.req.method ?? 'GET',
        headers: this.headers,
        body: this.hasBody ? this.req : null,
      },
      this,
    );
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.done) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[]>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return; // 1xx informational: Node's server already handled Expect itself.
    const out = downstreamResponseHeaders(headers);
    const { setCookie } = this.routed;
    if (setCookie) {
      const existing = out['set-cookie'];
      out['set-cookie'] = existing === undefined ? [setCookie] : [...[existing].flat().map(String), setCookie];
    }
    if (statusMessage) this.res.writeHead(statusCode, statusMessage, out);
    else this.res.writeHead(statusCode, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.done = true;
    this.res.end();
    this.replica!.recordSuccess();
    this.finish(this.res.statusCode, undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    const code = errorCode(error);
    const replica = this.replica!;
    const lost = CONNECTION_LOST.has(code);
    if (NEVER_CONNECTED.has(code) || lost || TIMEOUT_ERRORS.has(code)) replica.recordFailure(describeError(error));
    const retryable = NEVER_CONNECTED.has(code) || (lost && IDEMPOTENT.has(this.req.method ?? ''));
    if (retryable && !this.res.headersSent && !this.hasBody && this.attempts < this.routed.replicas.replicas.length) {
      const next = this.routed.replicas.pick(replica);
      if (next) {
        this.send(next);
        return;
      }
    }
    this.done = true;
    if (this.res.headersSent) {
      // The client already has a status line: the only honest signal left is a broken connection.
      this.res.destroy(error);
      this.finish(this.res.statusCode, describeError(error));
      return;
    }
    const kind: GatewayErrorKind = TIMEOUT_ERRORS.has(code) ? 'upstreamTimeout' : 'upstreamFailed';
    const what = kind === 'upstreamTimeout' ? 'timed out' : 'failed';
    const { route, lane } = this.routed;
    const message = `upstream ${replica.url} of lane "${lane}" of service "${route.name}" ${what}: ${describeError(error)}`;
    const status = answerError(this.res, kind, message, { service: route.name, lane });
    this.finish(status, describeError(error));
  }

  private readonly onClientClose = (): void => {
    if (this.done) return;
    // The client went away before the response ended: stop the upstream exchange too.
    this.done = true;
    this.controller?.abort(new Error('client closed the connection'));
    // A protocol error the gateway answered (400, 408, 431) is what the client got; 499 is for a hang-up.
    const answered = this.proxy.clientErrors.answeredStatus(this.req);
    if (answered !== undefined) this.finish(answered, 'client sent an invalid request');
    else this.finish(499, 'client closed the connection');
  };

  /** The client stopped sending its body: free the replica, tell the client (408) if nothing was sent yet. */
  private readonly onBodyStalled = (): void => {
    if (this.done) return;
    this.done = true;
    const ms = this.table.config.timeouts.clientBodyMs;
    const message = `the client sent no request body for ${ms} ms (timeouts.clientBodyMs)`;
    this.controller?.abort(new Error(message));
    if (this.res.headersSent) {
      this.res.destroy();
      this.finish(this.res.statusCode, message);
      return;
    }
    // The rest of the body will never be read: the connection cannot carry another request.
    this.res.shouldKeepAlive = false;
    const { route, lane } = this.routed;
    const status = answerError(this.res, 'clientBodyTimeout', message, { service: route.name, lane });
    this.finish(status, message);
  };

  private finish(status: number, error: string | undefined): void {
    this.bodyTimeout?.stop();
    const { route, lane, choice, requestedLane } = this.routed;
    route.stats.get(lane)?.record(status, (performance.now() - this.start) / 1000);
    this.proxy.log(this.table, this.req, this.start, status, route, lane, choice, this.replica, error, requestedLane);
  }
}
