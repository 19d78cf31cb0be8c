// The columns a decoded tick's moves and events are returned in: shared zero-length columns for ticks without any,
// and the scratch buffers TickDecoder reuses from tick to tick when asked to (`reuseColumns`).

import type { EventColumns, MoveColumns } from '../model/types.js';

/**
 * Zero-length columns shared by every tick without moves or events: an empty tick then costs two small objects, not
 * eight typed arrays (a chunk of empty ticks was issue 15's decompression bomb). A zero-length array holds nothing to
 * write, and a consumer that grows the columns replaces the arrays.
 */
const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);
export const noMoves = (): MoveColumns => ({
  count: 0,
  ids: EMPTY_I32,
  xs: EMPTY_F64,
  ys: EMPTY_F64,
  teleports: EMPTY_U8,
  causes: EMPTY_I32,
});
export const noEvents = (): EventColumns => ({ count: 0, kinds: EMPTY_U8, watchers: EMPTY_I32, targets: EMPTY_I32 });

/** Column buffers reused from tick to tick (see TickDecoder's `reuseColumns`); grown, never shrunk. */
export class Scratch {
  private ids = new Int32Array(0);
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  private teleports = new Uint8Array(0);
  private causes = new Int32Array(0);
  private kinds = new Uint8Array(0);
  private watchers = new Int32Array(0);
  private targets = new Int32Array(0);

  moves(count: number): MoveColumns {
    if (count > this.ids.length) {
      const size = Math.max(count, this.ids.length * 2);
      this.ids = new Int32Array(size);
      this.xs = new Float64Array(size);
      this.ys = new Float64Array(size);
      this.teleports = new Uint8Array(size);
      this.causes = new Int32Array(size);
    }
    this.teleports.fill(0, 0, count);
    this.causes.fill(-1, 0, count);
    return {
      count,
      ids: this.ids.subarray(0, count),
      xs: this.xs.subarray(0, count),
      ys: this.ys.subarray(0, count),
      teleports: this.teleports.subarray(0, count),
      causes: this.causes.subarray(0, count),
    };
  }

  events(count: number): EventColumns {
    if (count > this.kinds.length) {
      const size = Math.max(count, this.kinds.length * 2);
      this.kinds = new Uint8Array(size);
      this.watchers = new Int32Array(size);
      this.targets = new Int32Array(size);
    }
    return {
      count,
      kinds: this.kinds.subarray(0, count),
      watchers: this.watchers.subarray(0, count),
      targets: this.targets.subarray(0, count),
    };
  }
}
