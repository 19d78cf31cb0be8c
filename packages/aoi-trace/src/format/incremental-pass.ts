// The format 3 predictor's incremental pass (event-predictor.ts): a tick's predicted events (part 2 of the canonical
// order) from the pairs that may decide differently than in the tick before, instead of a full pass.
//
// A pair's prediction depends on its geometry (the kinetic schedule's side, kinetic-schedule.ts), on whether it is
// in view (the real events of the tick before), on the roles and radii (an update: the next tick is a full pass),
// and on the tick's respawns and despawns. So the pairs tested in a tick are: those that predicted an event in the
// tick before (their inputs may not have changed: a missing event is predicted again), those the real events of the
// tick before touched, those whose side changed, those of the tick's spawns (found by a scan over the live
// entities, spawn-scan.ts), the pairs in view naming a spawned id, and, carried over one tick, the pairs in view
// naming a respawned id (in the tick after, they count as in view again). Every other pair predicts what it
// predicted before, which is nothing. The tested pairs are evaluated by the rule's own expressions.
//
// Bounds: a rebuild's candidates may be at most a few times the pair tests a full pass is charged, and a tick's
// spawn scan at most a few full passes over the entities; past either the tick is a full pass, so a hostile chunk
// costs no more than the work the reader is charged for, and the schedule's memory stays bounded.

import type { EntitySpawn, EventColumns } from '../model/types.js';
import type { EventBuffer } from './event-buffer.js';
import type { PredictedMoves } from './event-predictor.js';
import { KineticSchedule, MAX_SLOTS } from './kinetic-schedule.js';
import { PairList } from './pair-list.js';
import type { CandidateGrid } from './predictor-grid.js';
import { type PredictorWorld, WATCHER } from './predictor-world.js';
import { scanSpawns } from './spawn-scan.js';
import { type PredictedTick, TestedPairs } from './tested-pairs.js';
import type { ViewTable } from './view-table.js';

export type { PredictedTick } from './tested-pairs.js';

/** The skin as a share of the longest watcher reach (bigger: rarer rebuilds, more candidates). */
const SKIN_SHARE = 0.5;
/**
 * The first rebuild after a keyframe (or an update) uses a thinner skin: a seek replays a few ticks from the
 * keyframe, and a rebuild costs in proportion to its candidates; the next rebuild takes the full skin.
 */
const FIRST_SKIN_SHARE = 0.1;
/** Most pairs a rebuild may schedule. */
const MAX_PAIRS = 2 ** 23;
/** Full passes after a rebuild was refused or the schedule did not pay, before the next try. */
const COOLDOWN = 32;
/**
 * The schedule pays while its work (a retest costs about three of the full pass's pair tests, a tested pair five,
 * a spawn scan's pair one) stays below this share of the pair tests the full passes would have made.
 */
const WORTH = 0.8;

export class IncrementalPass {
  private readonly schedule: KineticSchedule;
  /** The schedule follows the world (else the next tick rebuilds it). */
  private valid = false;
  private cooldown = 0;
  /** In a cooldown: the tick is a full pass and the pass keeps no state. */
  private idle = false;
  /** Schedules in a row that cost more than they saved. */
  private unpaid = 0;
  /** Rebuilds since the last invalidate (a keyframe, an update). */
  private rebuilds = 0;
  /** Since the last rebuild: the pass's work, in the full pass's pair tests, and the full passes' (charged) ones. */
  private spent = 0;
  private saved = 0;
  private most = 0;
  private tickSeq = 0;
  /** Per slot: the tick that spawned or moved it by a jump (its pairs in view are tested). */
  private rescanAt = new Int32Array(0);
  private readonly spawnIds = new Set<number>();
  private spawnedSlots: number[] = [];
  /** Pairs that predicted an event last tick or name a respawned id; pairs the last real events touched. */
  private readonly carried = new PairList();
  private readonly touched = new PairList();
  /** This tick's pairs in view naming a spawned id; the pairs to test. */
  private readonly reverse = new PairList();
  private readonly tested: TestedPairs;

  constructor(private readonly world: PredictorWorld) {
    this.schedule = new KineticSchedule(world);
    this.tested = new TestedPairs(world);
  }

  get skin(): number {
    return this.schedule.skin;
  }

  /** The next tick is a full pass that rebuilds the schedule (a keyframe, an update). */
  invalidate(): void {
    this.valid = false;
    this.rebuilds = 0;
  }

  /**
   * Before the tick's spawns and moves are applied (`views`: as the tick before left them): notes the spawned ids
   * and the jumps (a move longer than a quarter of the skin, a teleport), which the schedule follows like spawns
   * instead of counting them in its travel. Returns whether a pair in view may name one of them (begin() then walks
   * the views, handing each pair to {@link IncrementalPass.inView}).
   */
  beginTick(tickSeq: number, spawns: readonly EntitySpawn[], moves: PredictedMoves, views: ViewTable): boolean {
    this.tickSeq = tickSeq;
    this.spawnIds.clear();
    this.spawnedSlots = [];
    this.reverse.count = 0;
    // Waiting out a cooldown: full passes, nothing to follow.
    this.idle = !this.valid && this.cooldown > 0;
    if (this.idle) return false;
    const { world } = this;
    const { table } = world;
    if (this.rescanAt.length < world.ids.length) this.rescanAt = new Int32Array(world.ids.length);
    const { rescanAt } = this;
    for (const spawn of spawns) {
      this.spawnIds.add(spawn.id);
      const slot = table.slotOf(spawn.id);
      if (slot >= 0) rescanAt[slot] = tickSeq;
      // A new id with a view already (events about it came before its spawn): its pairs in view are tested.
      this.viewOf(spawn.id, views);
    }
    let rescan = spawns.length > 0;
    let most = 0;
    const jump = this.valid ? this.schedule.skin / 4 : Number.POSITIVE_INFINITY;
    const spawned = this.spawnIds.size > 0;
    for (let i = 0; i < moves.count; i++) {
      const id = moves.ids[i]!;
      const slot = table.slotOf(id);
      if (slot < 0 || (spawned && this.spawnIds.has(id))) continue;
      const dx = moves.xs[i]! - table.qx[slot]!;
      const dy = moves.ys[i]! - table.qy[slot]!;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d > jump) {
        // Its scheduled pairs are dropped (a new serial); the spawn scan schedules and tests its pairs from here.
        world.serial[slot] = ++world.serials;
        rescanAt[slot] = tickSeq;
        this.spawnedSlots.push(slot);
        this.viewOf(id, views);
        rescan = true;
      } else if (!(d <= most)) most = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    }
    this.most = most;
    return rescan;
  }

  /** A pair in view before the tick's spawns (target slot `ts`, -1 if not live): kept if it names a spawned id. */
  inView(watcher: number, target: number, ts: number): void {
    if (this.idle) return;
    if (ts >= 0 ? this.rescanAt[ts] === this.tickSeq : this.spawnIds.size > 0 && this.spawnIds.has(target))
      this.reverse.push(watcher, target);
  }

  /** The pairs in `watcher`'s view are tested. */
  private viewOf(watcher: number, views: ViewTable): void {
    const vslot = views.slotOf(watcher);
    if (vslot < 0) return;
    const targets = views.targetsOf(vslot);
    for (let i = 0; i < targets.length; i++) this.reverse.push(watcher, targets[i]!);
  }

  spawned(slot: number): void {
    this.spawnedSlots.push(slot);
    if (!this.world.safe(slot)) this.valid = false;
  }

  /**
   * Follows the tick's moves and spawns in the schedule, or decides on a full pass: 'rebuild' (the caller builds
   * the grids and, if {@link IncrementalPass.affordable}, schedules every candidate during its full pass) or 'full'.
   */
  plan(tick: PredictedTick): 'incremental' | 'rebuild' | 'full' {
    const { world, schedule } = this;
    const n = world.order.length;
    if (
      !this.valid ||
      !(this.most <= schedule.skin) ||
      world.serials > 2 ** 30 ||
      world.ids.length > MAX_SLOTS ||
      this.spawnedSlots.length * n > 4 * n + 65536 + schedule.size
    ) {
      return this.rebuild();
    }
    for (let s = 0; s < this.spawnedSlots.length; s++) {
      if (!world.safe(this.spawnedSlots[s]!)) return this.rebuild();
    }
    schedule.advance(this.most);
    if (schedule.expired) {
      // Fast movers against small radii retest most pairs every tick: full passes are cheaper then.
      if (this.spent + 3 * schedule.retests > WORTH * this.saved) {
        // Each time again in a row, a longer wait (up to 16 times), so a world where it never pays runs full passes.
        this.cooldown = COOLDOWN << Math.min(this.unpaid++, 4);
      } else this.unpaid = 0;
      return this.rebuild();
    }
    schedule.popDue();
    this.scanSpawns(tick);
    return 'incremental';
  }

  /** Whether a rebuild over `grid` stays within bounds of the full pass's charged work (`nominal`); if so, starts it. */
  affordable(grid: CandidateGrid, nominal: CandidateGrid, views: ViewTable): boolean {
    const { world } = this;
    const { table, roles, order } = world;
    let candidates = 0;
    let charged = views.pairs * 2;
    if (grid.cols > 0) {
      for (const id of order) {
        const s = table.slotOf(id);
        if ((roles[s]! & WATCHER) === 0) continue;
        candidates += grid.count(s);
        charged += nominal.count(s);
      }
    }
    if (candidates > 4 * charged + 16 * order.length + 65536 || candidates > MAX_PAIRS) {
      this.cooldown = COOLDOWN;
      this.valid = false;
      return false;
    }
    this.schedule.reset(this.schedule.skin);
    this.schedule.retests = 0;
    this.spent = candidates;
    this.saved = 0;
    this.valid = true;
    return true;
  }

  /** An incremental tick's charged pair tests: what a full pass would have made. */
  charged(work: number): void {
    this.saved += work;
  }

  /** During a rebuild's full pass: a pair (slots) within reach + skin. */
  candidate(ws: number, ts: number, d2: number, dz: number): void {
    this.schedule.addTested(ws, ts, d2, dz);
  }

  /** Part 2 of the tick's prediction (no move events), appended to `out` in canonical order. */
  predict(tick: PredictedTick, respawned: ReadonlySet<number>, views: ViewTable, out: EventBuffer): void {
    const { world, schedule, tested } = this;
    const { ids } = world;
    const pairs = tested.pairs;
    pairs.count = 0;
    pairs.append(this.carried);
    pairs.append(this.touched);
    pairs.append(this.reverse);
    const { changed, changedCount } = schedule;
    for (let i = 0; i < changedCount; i++) pairs.push(ids[changed[2 * i]!]!, ids[changed[2 * i + 1]!]!);
    this.spent += 5 * tested.pairs.count;
    tested.predict(tick, respawned, views, out);
  }

  /** After the tick's prediction (`out`, part 2 from `part2`): the pairs to test again next tick. */
  carry(out: EventBuffer, part2: number): void {
    // Tested this tick (or covered by the full pass): only what may still predict an event carries over.
    const next = this.carried;
    next.count = 0;
    this.touched.count = 0;
    if (this.idle) return;
    for (let i = part2; i < out.count; i++) if (out.kinds[i] !== 2) next.push(out.watchers[i]!, out.targets[i]!);
    next.append(this.reverse);
  }

  /** The tick's real events changed these pairs' view state. */
  viewsChanged(events: EventColumns): void {
    if (this.idle) return;
    const { kinds, watchers, targets, count } = events;
    // A pair carried already (predicted, the carried list is in canonical order) needs no second entry: walked
    // alongside, as a correct engine's events come in that order too (out of order ones are simply kept).
    const carried = this.carried;
    let c = 0;
    for (let i = 0; i < count; i++) {
      if (kinds[i] === 2) continue;
      const w = watchers[i]!;
      const t = targets[i]!;
      while (c < carried.count && (carried.watchers[c]! < w || (carried.watchers[c] === w && carried.targets[c]! < t)))
        c++;
      if (c < carried.count && carried.watchers[c] === w && carried.targets[c] === t) continue;
      this.touched.push(w, t);
    }
  }

  private rebuild(): 'rebuild' | 'full' {
    this.valid = false;
    if (this.cooldown > 0) {
      this.cooldown--;
      return 'full';
    }
    const { world } = this;
    const { table, roles, reach, order } = world;
    let maxReach = 0;
    for (const id of order) {
      const s = table.slotOf(id);
      if (!world.safe(s)) return 'full';
      if ((roles[s]! & WATCHER) !== 0 && reach[s]! > maxReach) maxReach = reach[s]!;
    }
    const skin = (this.rebuilds++ === 0 ? FIRST_SKIN_SHARE : SKIN_SHARE) * maxReach;
    if (!(skin > 0)) return 'full';
    this.schedule.skin = skin;
    return 'rebuild';
  }

  /** Schedules (and tests this tick) the pairs of each spawned entity within reach + skin, by a scan. */
  private scanSpawns(tick: PredictedTick): void {
    const { world, spawnedSlots } = this;
    if (spawnedSlots.length === 0) return;
    this.spent += spawnedSlots.length * world.order.length;
    scanSpawns(world, this.schedule, spawnedSlots, tick.despawned, this.reverse);
  }
}
