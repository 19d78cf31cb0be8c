// A ViewerDataSource that times the reads of the one it wraps: stateAt, and for ticks() the first record and the
// time spent inside the reader (not in the server's encoding and socket writes between records).

/** @typedef {import('@lanes/aoi-viewer').ViewerDataSource} ViewerDataSource */

/** @implements {ViewerDataSource} */
export class TimedSource {
  /** @param {import('@lanes/aoi-viewer').ViewerDataSource} inner */
  constructor(inner) {
    this.inner = inner;
    this.kind = inner.kind;
    this.name = inner.name;
    /** @type {object[]} */
    this.calls = [];
  }

  header() {
    return this.inner.header();
  }

  bounds() {
    return this.inner.bounds();
  }

  anomalies() {
    return this.inner.anomalies();
  }

  /** @param {number} tick */
  stateAt(tick) {
    const start = performance.now();
    const state = this.inner.stateAt(tick);
    this.calls.push({ call: 'stateAt', tick, ms: performance.now() - start, entities: state.entities.size });
    return state;
  }

  /** @param {number} from @param {number} to */
  *ticks(from, to) {
    const call = { call: 'ticks', from, to, records: 0, firstMs: 0, readMs: 0 };
    this.calls.push(call);
    const iterator = this.inner.ticks(from, to)[Symbol.iterator]();
    try {
      for (;;) {
        const start = performance.now();
        const next = iterator.next();
        const ms = performance.now() - start;
        call.readMs += ms;
        if (call.records === 0) call.firstMs = ms;
        if (next.done) return;
        call.records++;
        yield next.value;
      }
    } finally {
      iterator.return?.();
    }
  }

  /** The calls since the last take. */
  takeCalls() {
    return this.calls.splice(0);
  }
}
