import type { TickRecord, TraceInput } from '../model/types.js';
import { WorldState } from '../model/world-state.js';
import { checkIndex, invalidArgument } from '../query/arguments.js';
import { compareEvents, type DiffEvent } from './event-compare.js';
import { type PositionDifference, PositionDifferences } from './position-differences.js';
import { type ViewDifference, ViewDifferences } from './view-differences.js';

/** How a tick's events compare: `set`, as a multiset; `sequence`, their order must match too. */
export const DIFF_ORDERS = ['set', 'sequence'] as const;

export interface DiffOptions {
  /** One of DIFF_ORDERS. @default 'set' */
  order?: (typeof DIFF_ORDERS)[number];
  /** Most items listed in each list of the result (totals stay exact). @default 100 */
  maxItems?: number;
  /** Positions further apart than this (Euclidean, world units) differ. @default 0 */
  positionTolerance?: number;
}

/** A list cut at `maxItems`, with the exact number there was. */
export interface Capped<T> {
  readonly items: T[];
  readonly total: number;
}

/** What differed in one tick. */
export interface TickDiff {
  readonly tick: number;
  readonly presentIn: 'both' | 'a' | 'b';
  readonly eventsOnlyInA: number;
  readonly eventsOnlyInB: number;
  /** Same events, other order (a divergence only with `order: 'sequence'`). */
  readonly orderDiffers: boolean;
  /** Pairs seen in one trace only, after this tick. */
  readonly viewDifferences: number;
  /** Entities at different places (or in one trace only), after this tick. */
  readonly positionDifferences: number;
  /** Up to `maxItems` of the unmatched events. */
  readonly events: DiffEvent[];
}

export interface TraceDiff {
  readonly identical: boolean;
  readonly firstDivergentTick: number | null;
  /** Ticks present in both. */
  readonly ticksCompared: number;
  readonly ticksOnlyInA: Capped<number>;
  readonly ticksOnlyInB: Capped<number>;
  /** Every tick where something differed, in order. */
  readonly divergentTicks: Capped<TickDiff>;
  readonly eventsOnlyInA: number;
  readonly eventsOnlyInB: number;
  /** Intervals in which one trace saw a pair the other did not. */
  readonly views: Capped<ViewDifference>;
  readonly positions: Capped<PositionDifference>;
}

/**
 * Compares two traces of the same scenario (two engines, configurations or lanes) tick by tick, aligned by tick
 * number. Both are read once, in step; memory is the two worlds plus the open differences. Tick times and headers
 * are not compared.
 */
export function diffTraces(a: TraceInput, b: TraceInput, options: DiffOptions = {}): TraceDiff {
  const { order, limit, tolerance } = checkOptions(options);
  const stateA = new WorldState();
  const stateB = new WorldState();
  const views = new ViewDifferences(limit);
  const positions = new PositionDifferences(limit, tolerance);
  const onlyA = capped<number>(limit);
  const onlyB = capped<number>(limit);
  const divergent = capped<TickDiff>(limit);
  let compared = 0;
  let eventsOnlyInA = 0;
  let eventsOnlyInB = 0;
  for (const [ra, rb] of alignByTick(a.ticks(), b.ticks())) {
    const tick = (ra ?? rb)!.tick;
    const events = compareEvents(ra?.events ?? null, rb?.events ?? null, limit);
    // After lost ticks, compare against the world the tick follows.
    if (ra) stateA.resync(ra);
    if (rb) stateB.resync(rb);
    const pairs = views.candidates(stateA, stateB, ra, rb);
    if (ra) stateA.apply(ra);
    if (rb) stateB.apply(rb);
    views.update(stateA, stateB, pairs, tick);
    positions.update(stateA, stateB, ra, rb, tick);
    if (ra && rb) compared++;
    else (ra ? onlyA : onlyB).add(tick);
    eventsOnlyInA += events.onlyInA;
    eventsOnlyInB += events.onlyInB;
    const presentIn = ra && rb ? 'both' : ra ? 'a' : 'b';
    const differs =
      presentIn !== 'both' ||
      events.onlyInA + events.onlyInB > 0 ||
      (order === 'sequence' && events.orderDiffers) ||
      views.openCount > 0 ||
      positions.openCount > 0;
    if (differs) {
      divergent.add({
        tick,
        presentIn,
        eventsOnlyInA: events.onlyInA,
        eventsOnlyInB: events.onlyInB,
        orderDiffers: events.orderDiffers,
        viewDifferences: views.openCount,
        positionDifferences: positions.openCount,
        events: events.samples,
      });
    }
  }
  return {
    identical: divergent.total === 0,
    firstDivergentTick: divergent.items[0]?.tick ?? null,
    ticksCompared: compared,
    ticksOnlyInA: onlyA.result(),
    ticksOnlyInB: onlyB.result(),
    divergentTicks: divergent.result(),
    eventsOnlyInA,
    eventsOnlyInB,
    views: { items: views.listed, total: views.total },
    positions: { items: positions.listed, total: positions.total },
  };
}

function checkOptions(options: DiffOptions) {
  const order = options.order ?? 'set';
  if (order !== 'set' && order !== 'sequence') {
    throw invalidArgument(`options.order must be 'set' or 'sequence', got '${String(order)}'.`, 'options.order');
  }
  const limit = options.maxItems === undefined ? 100 : checkIndex(options.maxItems, 'options.maxItems');
  const tolerance = options.positionTolerance ?? 0;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw invalidArgument(
      `options.positionTolerance must be a finite number >= 0, got ${String(tolerance)}.`,
      'options.positionTolerance',
    );
  }
  return { order, limit, tolerance };
}

/** Merges two tick streams by tick number: pairs for ticks in both, a null on the side that lacks one. */
function* alignByTick(
  a: Iterable<TickRecord>,
  b: Iterable<TickRecord>,
): Generator<[TickRecord | null, TickRecord | null]> {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  let na = ia.next();
  let nb = ib.next();
  while (!na.done || !nb.done) {
    if (nb.done || (!na.done && na.value.tick < nb.value.tick)) {
      yield [na.value as TickRecord, null];
      na = ia.next();
    } else if (na.done || nb.value.tick < na.value.tick) {
      yield [null, nb.value];
      nb = ib.next();
    } else {
      yield [na.value, nb.value];
      na = ia.next();
      nb = ib.next();
    }
  }
}

function capped<T>(limit: number) {
  const items: T[] = [];
  let total = 0;
  return {
    get total() {
      return total;
    },
    items,
    add(item: T) {
      total++;
      if (items.length < limit) items.push(item);
    },
    result: (): Capped<T> => ({ items, total }),
  };
}
