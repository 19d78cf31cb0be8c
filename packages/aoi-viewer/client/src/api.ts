import type {
  AnomalyFinding,
  ChurnSeries,
  DiffResult,
  EntityDetail,
  PathResult,
  SearchResult,
  SourceId,
  ViewerInfo,
} from '../../src/protocol/api-types.js';
import { type StateFrame, stateViews, type TickFrame, TickFrameSplitter } from '../../src/protocol/wire.js';

async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const response = await fetch(withQuery(path, params));
  if (!response.ok) throw new Error(await errorText(response));
  return (await response.json()) as T;
}

function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  return `${path}?${query}`;
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    return `${response.status} ${text}`;
  }
}

/** The viewer's HTTP API, as seen from the page. */
export const api = {
  info: () => getJson<ViewerInfo>('api/info'),
  anomalies: (source: SourceId) => getJson<AnomalyFinding[]>('api/anomalies', { source }),
  entity: (source: SourceId, id: number, tick: number, from: number, to: number) =>
    getJson<EntityDetail>('api/entity', { source, id, tick, from, to }),
  path: (source: SourceId, id: number, from: number, to: number) =>
    getJson<PathResult>('api/path', { source, id, from, to }),
  search: (source: SourceId, q: string, tick: number) => getJson<SearchResult>('api/search', { source, q, tick }),
  churn: (source: SourceId, from: number, to: number, bins: number) =>
    getJson<ChurnSeries>('api/churn', { source, from, to, bins }),
  diff: (sourceA: SourceId, tickA: number, sourceB: SourceId, tickB: number, entity?: number) =>
    getJson<DiffResult>('api/diff', { sourceA, tickA, sourceB, tickB, entity }),

  async state(source: SourceId, tick: number, signal?: AbortSignal): Promise<StateFrame> {
    const response = await fetch(withQuery('api/state', { source, tick }), { signal: signal ?? null });
    if (!response.ok) throw new Error(await errorText(response));
    return stateViews(await response.arrayBuffer());
  },

  /** Streams the ticks of `[from, to]`, calling `onFrame` as each one arrives. */
  async ticks(
    source: SourceId,
    from: number,
    to: number,
    onFrame: (frame: TickFrame) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const response = await fetch(withQuery('api/ticks', { source, from, to }), { signal: signal ?? null });
    if (!response.ok || response.body === null) throw new Error(await errorText(response));
    const splitter = new TickFrameSplitter();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const frame of splitter.push(value)) onFrame(frame);
    }
    if (splitter.incomplete) throw new Error(`the tick stream [${from}, ${to}] ended inside a frame`);
  },
};
