// The format 3 predictor's full pass (event-predictor.ts): part 2 of the canonical order by the rule over every pair
// the candidate grid finds (predictor-grid.ts), watchers ascending, each watcher's targets ascending; and after an
// incremental pass (incremental-pass.ts), the charges this pass would have made, so the limits and the writer's
// chunking never depend on which pass ran. Apart from the predictor, which keeps the tick's state and picks the pass.

import { EventBuffer } from './event-buffer.js';
import type { ChargeEvents, ChargeWork } from './event-predictor.js';
import type { IncrementalPass } from './incremental-pass.js';
import type { CandidateGrid } from './predictor-grid.js';
import { MARKER, type PredictorWorld, WATCHER } from './predictor-world.js';
import type { PredictedTick } from './tested-pairs.js';
import type { ViewTable } from './view-table.js';

export class FullPass {
  /** Stamps `world.mark` per watcher: its old targets are marked with the watcher's seq, visited ones with -seq. */
  private seq = 0;
  /** One watcher's events, sorted by target before they are appended. */
  private readonly group = new EventBuffer();

  constructor(
    private readonly world: PredictorWorld,
    private readonly incremental: IncrementalPass | undefined,
  ) {}

  /**
   * Part 2 by a full pass, appended to `out`. Walks `grid`, charges the nominal grid's blocks; `schedule`: hands every
   * pair within reach + skin to the incremental pass's schedule.
   */
  predict(
    tick: PredictedTick,
    respawnedIds: ReadonlySet<number>,
    views: ViewTable,
    grid: CandidateGrid,
    nominal: CandidateGrid,
    out: EventBuffer,
    moveEvents: boolean,
    charge: ChargeEvents,
    work: ChargeWork,
    schedule: boolean,
  ): void {
    const { world, group } = this;
    const { tickSeq, despawned: despawnedIds, removed: removedIds } = tick;
    const { table, roles, mark, z, view2, leave2, viewH, leaveH, moved, ids, reach } = world;
    const { qx: xs, qy: ys } = table;
    const { cellStart, cellItems, cols } = grid;
    const anyRemoved = removedIds.size > 0;
    const skin = schedule ? this.incremental!.skin : 0;
    for (const w of world.order) {
      const ws = table.slotOf(w);
      const vslot = views.slotOf(w);
      const watching = (roles[ws]! & WATCHER) !== 0;
      if (despawnedIds.has(w) || (!watching && vslot < 0)) continue;
      const seq = ++this.seq;
      let listed = 0;
      let old: Int32Array | undefined;
      if (vslot >= 0 && !respawnedIds.has(w)) {
        old = views.targetsOf(vslot);
        work(old.length * 2);
        for (let i = 0; i < old.length; i++) {
          const t = old[i]!;
          if (anyRemoved && removedIds.has(t)) continue;
          const ts = table.slotOf(t);
          // A pair whose target is gone (its leave never came) predicts nothing.
          if (ts < 0) continue;
          mark[ts] = seq;
          listed++;
        }
      }
      group.count = 0;
      const wx = xs[ws]!;
      const wy = ys[ws]!;
      const wz = z[ws]!;
      if (watching && cols > 0) {
        work(nominal.count(ws));
        grid.block(ws);
        const { x0, x1, y0, y1 } = grid;
        const view2w = view2[ws]!;
        const leave2w = leave2[ws]!;
        const viewHw = viewH[ws]!;
        const leaveHw = leaveH[ws]!;
        const now = tickSeq;
        // Pairs within this of each other are the schedule's candidates (a hair more than reach + skin).
        const within = (reach[ws]! + skin) * (1 + 1e-9);
        const within2 = schedule ? within * within : -1;
        for (let y = y0; y <= y1; y++) {
          // A row's cells x0..x1 are contiguous in cellItems.
          const row = y * cols;
          for (let k = cellStart[row + x0]!, end = cellStart[row + x1 + 1]!; k < end; k++) {
            const ts = cellItems[k]!;
            if (ts === ws) continue;
            const was = mark[ts] === seq;
            if (was) mark[ts] = -seq;
            const dx = wx - xs[ts]!;
            const dy = wy - ys[ts]!;
            const d2 = dx * dx + dy * dy;
            const dz = Math.abs(wz - z[ts]!);
            if (d2 <= within2) this.incremental!.candidate(ws, ts, d2, dz);
            if (was) {
              if (!(d2 <= leave2w && dz <= leaveHw)) group.push(1, w, ids[ts]!);
              else if (moveEvents && moved[ts] === now) group.push(2, w, ids[ts]!);
            } else if (d2 <= view2w && dz <= viewHw) {
              group.push(0, w, ids[ts]!);
            }
          }
        }
      }
      if (old !== undefined && listed > 0) {
        // Pairs in view the grid did not visit: the target lost its marker role, or is out of reach.
        for (let i = 0; i < old.length; i++) {
          const t = old[i]!;
          const ts = table.slotOf(t);
          if (ts < 0 || mark[ts] !== seq) continue;
          mark[ts] = -seq;
          const dx = wx - xs[ts]!;
          const dy = wy - ys[ts]!;
          const d2 = dx * dx + dy * dy;
          const dz = Math.abs(wz - z[ts]!);
          const sees = watching && (roles[ts]! & MARKER) !== 0 && d2 <= leave2[ws]! && dz <= leaveH[ws]!;
          if (!sees) group.push(1, w, t);
          else if (moveEvents && moved[ts] === tickSeq) group.push(2, w, t);
        }
      }
      if (group.count === 0) continue;
      charge(group.count);
      group.sortByTarget();
      out.append(group);
    }
  }

  /**
   * After an incremental pass: the charges a full pass makes, in its order and amounts (the view lists, the nominal
   * grid's blocks, each watcher's events), so the limits and the writer's chunking are those of the full pass.
   */
  charges(
    tick: PredictedTick,
    respawnedIds: ReadonlySet<number>,
    views: ViewTable,
    nominal: CandidateGrid,
    out: EventBuffer,
    part2: number,
    charge: ChargeEvents,
    work: ChargeWork,
  ): void {
    const { world } = this;
    const despawnedIds = tick.despawned;
    const { table, roles } = world;
    const { lengths } = views;
    const anyRespawned = respawnedIds.size > 0;
    const anyDespawned = despawnedIds.size > 0;
    let e = part2;
    let total = 0;
    for (const w of world.order) {
      const ws = table.slotOf(w);
      if (anyDespawned && despawnedIds.has(w)) continue;
      const vslot = views.slotOf(w);
      const watching = (roles[ws]! & WATCHER) !== 0;
      if (!watching && vslot < 0) continue;
      if (vslot >= 0 && !(anyRespawned && respawnedIds.has(w))) {
        work(lengths[vslot]! * 2);
        total += lengths[vslot]! * 2;
      }
      if (watching && nominal.cols > 0) {
        const candidates = nominal.count(ws);
        work(candidates);
        total += candidates;
      }
      const first = e;
      while (e < out.count && out.watchers[e] === w) e++;
      if (e > first) charge(e - first);
    }
    this.incremental!.charged(total);
  }
}
