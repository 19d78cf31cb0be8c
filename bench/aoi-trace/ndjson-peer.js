// The NDJSON peers of the size comparison: a minimal serializer of exactly the documented NDJSON shape (verbose),
// and a compact variant (moves as [id,x,y], events as [k,w,t]). Bench-only: the library's NDJSON module is separate.
import { gzipSync } from 'node:zlib';

const KINDS = ['enter', 'exit', 'move'];

/**
 * @param {import('@lanes/aoi-trace').TraceHeader} header
 * @param {Iterable<import('@lanes/aoi-trace').TickRecord>} records
 * @param {boolean} compact
 * @returns {{ raw: number, gzip: number }}
 */
export function ndjsonSizes(header, records, compact) {
  const lines = [JSON.stringify({ type: 'header', ...header })];
  for (const record of records) lines.push(tickLine(record, compact));
  const text = Buffer.from(`${lines.join('\n')}\n`);
  return { raw: text.length, gzip: gzipSync(text).length };
}

/**
 * @param {import('@lanes/aoi-trace').TickRecord} r
 * @param {boolean} compact
 */
function tickLine(r, compact) {
  const moves = [];
  for (let i = 0; i < r.moves.count; i++) {
    const id = r.moves.ids[i];
    const x = r.moves.xs[i];
    const y = r.moves.ys[i];
    const teleport = r.moves.teleports[i] === 1;
    const cause = r.moves.causes[i];
    if (compact) moves.push(teleport || cause !== -1 ? [id, x, y, teleport ? 1 : 0, cause] : [id, x, y]);
    else moves.push({ id, x, y, ...(teleport ? { teleport: true } : {}), ...(cause !== -1 ? { cause } : {}) });
  }
  const events = [];
  for (let i = 0; i < r.events.count; i++) {
    const kind = r.events.kinds[i];
    const watcher = r.events.watchers[i];
    const target = r.events.targets[i];
    events.push(compact ? [kind, watcher, target] : { kind: KINDS[kind], watcher, target });
  }
  return JSON.stringify({
    type: 'tick',
    tick: r.tick,
    time: r.time,
    ...(r.span ? { span: r.span } : {}),
    eventBase: r.eventBase,
    messages: r.messages,
    spawns: r.spawns,
    updates: r.updates,
    moves,
    despawns: r.despawns,
    events,
  });
}
