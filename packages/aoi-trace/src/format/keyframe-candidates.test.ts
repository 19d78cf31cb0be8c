import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaveHeightOf } from '../detect/cylinder.js';
import { TraceError, TraceErrorCode } from '../errors.js';
import { EventPredictor, type PredictedEntity } from './event-predictor.js';
import { type KeyframeCandidates, keyframeCandidates } from './keyframe-candidates.js';
import { ChunkBudget, DecodeCost } from './limits.js';

// The keyframe candidates a 3.1 reader finds must be the ones every earlier 3.1 writer stored its band bits and
// missed list against, and a keyframe must be refused by the same limits: the reference below is how 3.1 defined
// them first, one prediction of the event predictor with every entity widened to its larger reach, its enters
// filtered by the exact test.

const larger = (a: number, b: number): number => (b > a || Number.isNaN(a) ? b : a);
const noMoves = { count: 0, ids: new Int32Array(0), xs: new Float64Array(0), ys: new Float64Array(0) };

function reference(entities: readonly PredictedEntity[], budget: ChunkBudget): KeyframeCandidates {
  const widened = entities.map((e) => {
    const reach = larger(Math.abs(e.viewRadius), Math.abs(e.leaveRadius));
    const height = larger(e.viewHeight ?? Number.POSITIVE_INFINITY, leaveHeightOf(e));
    return { ...e, viewRadius: reach, leaveRadius: reach, viewHeight: height, leaveHeight: height };
  });
  const finder = new EventPredictor({ leaveHeightFollowsView: true });
  finder.load(widened, []);
  finder.begin([], [], noMoves, []);
  const found = finder.predict(
    false,
    (count) => budget.charge(count, DecodeCost.event, 'keyframe pair within reach'),
    (count) => budget.predictionWork(count),
  );
  const byId = new Map(entities.map((e) => [e.id, e]));
  const watchers: number[] = [];
  const targets: number[] = [];
  const sure: number[] = [];
  for (let i = 0; i < found.count; i++) {
    const w = byId.get(found.watchers[i]!)!;
    const t = byId.get(found.targets[i]!)!;
    const dx = w.x - t.x;
    const dy = w.y - t.y;
    const d2 = dx * dx + dy * dy;
    const dz = Math.abs((w.z ?? 0) - (t.z ?? 0));
    const inView = d2 <= w.viewRadius * w.viewRadius && dz <= (w.viewHeight ?? Number.POSITIVE_INFINITY);
    const inLeave = d2 <= w.leaveRadius * w.leaveRadius && dz <= leaveHeightOf(w);
    if (!inView && !inLeave) continue;
    watchers.push(w.id);
    targets.push(t.id);
    sure.push(inView && inLeave ? 1 : 0);
  }
  return {
    count: watchers.length,
    watchers: Int32Array.from(watchers),
    targets: Int32Array.from(targets),
    sure: Uint8Array.from(sure),
  };
}

/** The candidates, or the limit's message, and every charge made (their kinds and amounts, in order). */
function run(find: typeof keyframeCandidates, entities: readonly PredictedEntity[], limit = Number.POSITIVE_INFINITY) {
  const charges: string[] = [];
  let spent = 0;
  const budget = new ChunkBudget((what) => new TraceError(TraceErrorCode.Limit, what));
  const charge = budget.charge.bind(budget);
  const work = budget.predictionWork.bind(budget);
  budget.charge = (count, unit, what) => {
    charges.push(`pairs ${count}`);
    spent += count;
    if (spent > limit) throw new TraceError(TraceErrorCode.Limit, 'test limit');
    charge(count, unit, what);
  };
  budget.predictionWork = (count) => {
    charges.push(`work ${count}`);
    work(count);
  };
  try {
    const c = find(entities, budget);
    const pairs = [...c.watchers].map((w, i) => `${w}>${c.targets[i]}:${c.sure[i]}`);
    return { pairs, charges };
  } catch (error) {
    return { error: (error as Error).message, charges };
  }
}

const coordinate = fc.oneof(
  fc.integer({ min: -40, max: 40 }).map((v) => v / 4),
  fc.constantFrom(0, 1e6, -1e6, 2 ** 41),
);
const radius = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((v) => v / 4),
  fc.constantFrom(-3, 0, Number.NaN, Number.POSITIVE_INFINITY, 1e9),
);
const half = fc.option(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constant(Number.NaN)), { nil: undefined });
const entity = fc.record({
  x: coordinate,
  y: coordinate,
  viewRadius: radius,
  leaveRadius: radius,
  watcher: fc.boolean(),
  marker: fc.boolean(),
  z: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
  viewHeight: half,
  leaveHeight: half,
});
const world = fc
  .array(fc.tuple(fc.integer({ min: -50, max: 500 }), entity), { minLength: 0, maxLength: 60 })
  .map((list) => {
    const seen = new Set<number>();
    const out: PredictedEntity[] = [];
    for (const [id, e] of list) {
      if (seen.has(id)) continue;
      seen.add(id);
      const { z, viewHeight, leaveHeight, ...rest } = e;
      out.push({
        id,
        ...rest,
        ...(z === undefined ? {} : { z }),
        ...(viewHeight === undefined ? {} : { viewHeight }),
        ...(leaveHeight === undefined ? {} : { leaveHeight }),
      });
    }
    return out;
  });

describe('keyframe candidates', () => {
  it('are the widened prediction filtered by the exact test, with the same charges (fast-check)', () => {
    fc.assert(
      fc.property(world, (entities) => {
        expect(run(keyframeCandidates, entities)).toEqual(run(reference, entities));
      }),
      { numRuns: 400 },
    );
  });

  it('are refused at the same charge as the reference', () => {
    fc.assert(
      fc.property(world, fc.integer({ min: 0, max: 200 }), (entities, limit) => {
        expect(run(keyframeCandidates, entities, limit)).toEqual(run(reference, entities, limit));
      }),
      { numRuns: 200 },
    );
  });

  it('match the reference on a dense world with hysteresis, in entities given in any order', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const entities: PredictedEntity[] = [];
    for (let id = 0; id < 3000; id++) {
      entities.push({
        id: id * 3 - 500,
        x: Math.round(rnd() * 4000) / 4,
        y: Math.round(rnd() * 4000) / 4,
        viewRadius: 40,
        leaveRadius: id % 5 === 0 ? 40 : 48,
        watcher: id % 7 !== 0,
        marker: id % 11 !== 0,
        ...(id % 3 === 0 ? { z: id % 9, viewHeight: 4 } : {}),
      });
    }
    entities.reverse();
    const found = run(keyframeCandidates, entities);
    expect(found.pairs!.length).toBeGreaterThan(10_000);
    expect(found.pairs!.some((p) => p.endsWith(':0'))).toBe(true);
    expect(found).toEqual(run(reference, entities));
  });
});
