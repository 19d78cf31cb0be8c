import type { ServerResponse } from 'node:http';
import { TraceError, TraceErrorCode } from '@lanes/aoi-trace';
import type { SourceId, ViewerInfo } from '../protocol/api-types.js';
import { churnSeries } from './churn.js';
import { encodeState } from './encode.js';
import { occupancyAt } from './occupancy.js';
import { bad, Params } from './params.js';
import { diffViews, entityDetail, entityPath, MAX_QUERY_TICKS, search } from './queries.js';
import type { SourceHandle } from './source-handle.js';
import { streamTicks } from './tick-stream.js';

/** The most ticks one window request may ask for. */
export const MAX_WINDOW_TICKS = 2048;

export type Sources = Partial<Record<SourceId, SourceHandle>>;

/** Answers one `/api/...` request. Throws TraceError for bad parameters (the caller turns it into a 400). */
export async function handleApi(
  route: string,
  query: URLSearchParams,
  sources: Sources,
  res: ServerResponse,
  ingest?: string,
) {
  const params = new Params(query);
  const pick = (name = 'source') => {
    const id = params.source(name);
    const handle = sources[id];
    if (handle === undefined) throw bad(name, `there is no source '${id}' (this viewer has no second trace).`);
    return handle;
  };
  switch (route) {
    case '/api/info': {
      const info: ViewerInfo = {
        sources: Object.values(sources).map((handle) => handle.info()),
        ...(ingest === undefined ? {} : { ingest }),
      };
      return json(res, info);
    }
    case '/api/anomalies':
      return json(res, pick().source.anomalies());
    case '/api/state': {
      const handle = pick();
      const bytes = encodeState(handle.stateAt(params.int('tick')), handle.tags);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(bytes);
      return;
    }
    case '/api/ticks': {
      const handle = pick();
      const from = params.int('from');
      const to = params.int('to');
      checkWindow(from, to, MAX_WINDOW_TICKS);
      return streamTicks(handle, from, to, res);
    }
    case '/api/entity': {
      const handle = pick();
      const tick = params.int('tick');
      const from = params.int('from', tick);
      const to = params.int('to', tick);
      checkWindow(from, to, MAX_QUERY_TICKS);
      return json(res, entityDetail(handle.source, handle.stateAt(tick), params.int('id'), from, to));
    }
    case '/api/path': {
      const handle = pick();
      const from = params.int('from');
      const to = params.int('to');
      checkWindow(from, to, MAX_QUERY_TICKS);
      return json(res, entityPath(handle.source, handle.stateAt(from), params.int('id'), to));
    }
    case '/api/search': {
      const handle = pick();
      return json(res, search(handle.stateAt(params.int('tick')), params.string('q'), handle.source));
    }
    case '/api/occupancy': {
      const handle = pick();
      return json(res, occupancyAt(handle.source, handle.stateAt(params.int('tick')), query.get('cellSize')));
    }
    case '/api/churn':
      return json(res, churnSeries(pick().source, params.int('from'), params.int('to'), params.int('bins', 400)));
    case '/api/diff': {
      const a = pick('sourceA');
      const b = pick('sourceB');
      const tickA = params.int('tickA');
      const tickB = params.int('tickB');
      const sides = { a: { source: a.id, tick: tickA }, b: { source: b.id, tick: tickB } };
      return json(res, diffViews(a.stateAt(tickA), b.stateAt(tickB), sides, params.optionalInt('entity')));
    }
    default:
      throw new TraceError(TraceErrorCode.InvalidArgument, `unknown API route '${route}'.`, { path: route });
  }
}

function checkWindow(from: number, to: number, max: number): void {
  if (to < from) throw bad('to', `the window [${from}, ${to}] is empty: 'to' must be >= 'from'.`);
  if (to - from >= max) throw bad('to', `the window [${from}, ${to}] is too long: at most ${max} ticks per request.`);
}

function json(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
