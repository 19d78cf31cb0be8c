import { ViewTable } from '../format/view-table.js';
import { regionOf, spatialHash } from '../model/region.js';
import { respawnedIds } from '../model/respawn.js';
import type { WorldState } from '../model/world-state.js';
import type { ResolvedDetectOptions } from './options.js';
import type { TickGeometry } from './tick-geometry.js';
import { TransitionTable } from './transition-table.js';
import { type Detector, type DetectorTick, describeEntity, type FindingLog } from './types.js';

interface PairHistory {
  watcher: number;
  target: number;
  /** Ticks of the pair's transitions within the sliding window. */
  ticks: number[];
  /** No new finding for the pair before this tick (one finding per burst). */
  quietUntil: number;
  /** The region window whose `flapping` list holds this pair. */
  listedIn?: RegionWindow;
}

interface RegionWindow {
  x: number;
  y: number;
  transitions: number;
  reversals: number;
  /** watcher -> its reversals in the region. */
  byWatcher: Map<number, number>;
  /** Pairs with a reversal in the region: view edges of the window even when out of view at its end. */
  flapping: PairHistory[];
}

/**
 * Shannon entropy, in bits, of an entity's transition sequence in a window: each transition (as watcher) is the
 * symbol (kind, target); with p_s the share of symbol s among the n transitions, H = -sum(p_s * log2 p_s). Normal
 * motion gives distinct symbols (each target enters once, leaves once), H = log2 n; flapping repeats a few symbols,
 * so H falls well below log2 n. The entropy deficit is log2 n - H.
 */
export function transitionEntropy(counts: Iterable<number>): { n: number; bits: number } {
  const list = [...counts];
  const n = list.reduce((a, b) => a + b, 0);
  let bits = 0;
  for (const c of list) if (c > 0) bits -= (c / n) * Math.log2(c / n);
  return { n, bits };
}

/**
 * Enter/exit flapping (the seed's topology oscillation): per pair, more than `maxFlipsPerWindow` transitions within
 * a sliding window; per entity, many transitions with a low entropy (tumbling windows); per region (the header's
 * regionSize, by the watcher's position), reversals (a transition of a pair that already changed twice within the window)
 * per view edge per tick above `maxRegionRate` (the seed's rho = dE / (E * dt)). E counts the region's view edges at
 * the window's end plus its flapping pairs not among them, so it is never 0 where reversals happened.
 */
export class OscillationDetector implements Detector {
  /**
   * The pairs with a transition in the sliding window, and the window's (kind, target) counts per watcher for the
   * entropy. A pair with one transition in the window (most: a fill's enters, a pass's) is just that tick, not a
   * history object: memory for the pairs that actually flip.
   */
  private readonly table = new TransitionTable<PairHistory>();
  private regions = new Map<string, RegionWindow>();
  /** The same windows by corner x, then y. */
  private regionIndex = new Map<number, Map<number, RegionWindow>>();
  private windowStart = -1;
  /** The recorded views (DetectorTick.seen): the same table every tick. */
  private seen = new ViewTable();
  private lastTick = -1;

  constructor(
    private readonly options: ResolvedDetectOptions,
    private readonly log: FindingLog,
    private readonly regionSize: number,
    /** False: every pair gets a history object (the reference the compact form is tested against). */
    private readonly compact = true,
  ) {}

  onTick({ record, state, seen, changes, geometry }: DetectorTick): void {
    this.seen = seen;
    const tick = record.tick;
    const { window, maxFlipsPerWindow } = this.options;
    if (this.windowStart < 0) this.windowStart = tick;
    if (tick >= this.windowStart + window) {
      this.closeWindow(state, this.lastTick);
      this.windowStart = tick;
      const { table } = this;
      table.prune((r) => {
        const pair = table.histories[r];
        const last = pair === undefined ? table.last[r]! : pair.ticks[pair.ticks.length - 1]!;
        return last > tick - window;
      });
    }
    this.lastTick = tick;
    const { events } = record;
    const respawned = respawnedIds(record);
    const { table } = this;
    // The tick's positions by slot: the schedule's world on an incremental tick, the loaded geometry on a full one.
    const world = changes.world ?? geometry;
    let current = -1;
    let region: RegionWindow | undefined;
    for (let i = 0; i < events.count; i++) {
      const kind = events.kinds[i]!;
      if (kind > 1) continue;
      const watcher = events.watchers[i]!;
      const target = events.targets[i]!;
      // A respawn's leave and enter are two entities of one id, not a flip.
      if (respawned !== undefined && (respawned.has(watcher) || respawned.has(target))) continue;
      if (watcher !== current) {
        // Events come grouped by watcher: look its region up once per group.
        current = watcher;
        region = this.regionFor(world, watcher);
      }
      const r = table.find(watcher, target);
      let pair = table.histories[r];
      let reversal = false;
      if (pair === undefined) {
        const entry = table.last[r]!;
        // No entry (-Infinity) is never within the window.
        if (!this.compact || entry > tick - window) {
          pair = { watcher, target, ticks: entry === Number.NEGATIVE_INFINITY ? [] : [entry], quietUntil: -1 };
          table.histories[r] = pair;
        } else {
          // The only transition in the window (maxFlipsPerWindow >= 1: no finding, no reversal): its tick will do.
          table.last[r] = tick;
        }
      }
      if (pair !== undefined) {
        while (pair.ticks.length > 0 && pair.ticks[0]! <= tick - window) pair.ticks.shift();
        // A third transition within the window: the pair went back to where it was (a tangent pass makes two).
        reversal = pair.ticks.length >= 2;
        pair.ticks.push(tick);
        if (pair.ticks.length > maxFlipsPerWindow && tick >= pair.quietUntil) {
          pair.quietUntil = tick + window;
          this.reportPair(pair, tick, state);
        }
      }
      table.count(r, kind);
      if (region === undefined) continue;
      region.transitions++;
      if (reversal && pair !== undefined) {
        region.reversals++;
        if (pair.listedIn !== region) {
          pair.listedIn = region;
          region.flapping.push(pair);
        }
        region.byWatcher.set(watcher, (region.byWatcher.get(watcher) ?? 0) + 1);
      }
    }
  }

  /** The watcher's region window (undefined: not live), its position read by slot rather than from the state's Map. */
  private regionFor(world: TickGeometry, watcher: number): RegionWindow | undefined {
    const slot = world.slotIndex(watcher);
    if (slot < 0) return undefined;
    // regionOf's corner, looked up by number (a string key per watcher group and tick was measurable).
    const size = this.regionSize;
    const x = Math.floor(world.xs[slot]! / size) * size;
    const y = Math.floor(world.ys[slot]! / size) * size;
    let column = this.regionIndex.get(x);
    if (column === undefined) {
      column = new Map();
      this.regionIndex.set(x, column);
    }
    let region = column.get(y);
    if (region === undefined) {
      region = { x, y, transitions: 0, reversals: 0, byWatcher: new Map(), flapping: [] };
      column.set(y, region);
      this.regions.set(`${x}:${y}`, region);
    }
    return region;
  }

  finish(lastTick: number, state: WorldState): void {
    if (this.windowStart >= 0) this.closeWindow(state, lastTick);
  }

  private reportPair(pair: PairHistory, tick: number, state: WorldState): void {
    const first = pair.ticks[0]!;
    this.log.add({
      detector: 'oscillation',
      tick: first,
      entities: [pair.watcher, pair.target],
      message: `${pair.target} flipped in and out of ${pair.watcher}'s view ${pair.ticks.length} times in ticks ${first}..${tick} (more than ${this.options.maxFlipsPerWindow} in ${this.options.window}).`,
      evidence: {
        scope: 'pair',
        transitionTicks: [...pair.ticks],
        window: this.options.window,
        watcher: describeEntity(state, pair.watcher),
        target: describeEntity(state, pair.target),
      },
    });
  }

  private closeWindow(state: WorldState, end: number): void {
    const { maxFlipsPerWindow, minEntropyDeficit, maxRegionRate } = this.options;
    const start = this.windowStart;
    const ticks = end - start + 1;
    const table = this.table;
    for (const [watcher, symbols] of this.symbolsByWatcher()) {
      const counts = symbols.map((c) => table.counts[c]!);
      const { n, bits } = transitionEntropy(counts);
      const deficit = Math.log2(n) - bits;
      if (n <= maxFlipsPerWindow || deficit < minEntropyDeficit) continue;
      const top = symbols
        .map((c, i) => ({ event: c % 2 === 0 ? 'enter' : 'exit', target: table.targets[c >> 1]!, count: counts[i]! }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 5);
      this.log.add({
        detector: 'oscillation',
        tick: start,
        entities: [watcher],
        message: `${watcher} had ${n} view transitions in ticks ${start}..${end} with entropy ${bits.toFixed(2)} bits, ${deficit.toFixed(2)} below log2(${n}): it keeps flipping the same targets.`,
        evidence: {
          scope: 'entity',
          fromTick: start,
          toTick: end,
          transitions: n,
          distinct: symbols.length,
          entropyBits: bits,
          entropyDeficitBits: deficit,
          topSymbols: top,
        },
      });
    }
    // View edges at the window's end per region with transitions (the others are not reported), found by the
    // watcher's numeric corner as regionFor does: no key string per watcher.
    const edges = new Map<RegionWindow, number>();
    const regionAt = (watcher: number) => {
      const w = state.entities.get(watcher);
      if (w === undefined) return undefined;
      const size = this.regionSize;
      return this.regionIndex.get(Math.floor(w.x / size) * size)?.get(Math.floor(w.y / size) * size);
    };
    const seen = this.seen;
    for (const watcher of seen.sortedWatchers()) {
      const region = regionAt(watcher);
      if (region !== undefined)
        edges.set(region, (edges.get(region) ?? 0) + seen.targetsOf(seen.slotOf(watcher)).length);
    }
    for (const region of this.regions.values()) {
      const atEnd = edges.get(region) ?? 0;
      // A flapping pair not counted at the end (out of view then, or its watcher elsewhere) was an edge here too.
      const flapped = region.flapping.filter(
        (p) => !(seen.has(p.watcher, p.target) && regionAt(p.watcher) === region),
      ).length;
      const e = atEnd + flapped;
      const rate = e === 0 ? 0 : region.reversals / (e * ticks);
      if (region.reversals <= maxFlipsPerWindow || rate <= maxRegionRate) continue;
      const top = [...region.byWatcher].sort((a, b) => b[1] - a[1]).slice(0, 10);
      this.log.add({
        detector: 'oscillation',
        tick: start,
        entities: top.map(([id]) => id),
        message: `region [${region.x}, ${region.y}] had ${region.reversals} reversals in ${ticks} tick(s) (${start}..${end}) over ${e} view edge(s) (${atEnd} in view at tick ${state.tick}, ${flapped} more that flapped): ${rate.toFixed(3)} per edge per tick (threshold ${maxRegionRate}).`,
        evidence: {
          scope: 'region',
          region: regionOf(region.x, region.y, this.regionSize),
          spatialHash: spatialHash(region.x, region.y, this.regionSize),
          fromTick: start,
          toTick: end,
          transitions: region.transitions,
          reversals: region.reversals,
          edges: e,
          edgesAtEnd: atEnd,
          flappedEdges: flapped,
          ratePerEdgePerTick: rate,
          topWatchers: top,
        },
      });
    }
    table.resetCounts();
    this.regions = new Map();
    this.regionIndex = new Map();
  }

  /** The window's symbols (record * 2 + kind) per watcher; both in the order of their first transition. */
  private symbolsByWatcher(): Map<number, number[]> {
    const { symbols, symbolCount, watchers } = this.table;
    const byWatcher = new Map<number, number[]>();
    for (let i = 0; i < symbolCount; i++) {
      const c = symbols[i]!;
      const watcher = watchers[c >> 1]!;
      const list = byWatcher.get(watcher);
      if (list === undefined) byWatcher.set(watcher, [c]);
      else list.push(c);
    }
    return byWatcher;
  }
}
