import type { DetectOptions } from '../detect/options.js';
import type { Finding } from '../detect/types.js';
import type { TickRecord, TraceHeader, TraceInput } from '../model/types.js';
import { ddmin, OutOfTime } from './ddmin.js';
import { type FindingSelector, type FindingSignature, parseFindingSelector, signatureOf } from './finding-match.js';
import { locateFinding } from './locate.js';
import { findMatch } from './predicate.js';
import { type CoordinateTransform, entityIds, IDENTITY, type Projection, projectTrace } from './project.js';

export type ShrinkPhase = 'detect' | 'entities' | 'ticks' | 'coordinates';

/** Reported after every tick read while finding the finding ('detect'), then after every candidate. */
export interface ShrinkProgress {
  phase: ShrinkPhase;
  /** Candidates run through the detector so far (cache hits not counted). */
  candidates: number;
  /** Size of the smallest repro so far. */
  entities: number;
  ticks: number;
  elapsedMs: number;
}

export interface ShrinkOptions {
  /** The finding to shrink: a {@link FindingSelector} or its text (`12`, `torn-view@140`, `ground-truth:late`). */
  finding: FindingSelector | string;
  /**
   * Stop searching after this long and keep the smallest repro so far. The search starts once the finding is
   * located (one pass of its detector over the trace, up to the tick that reports it). @default 60
   */
  maxSeconds?: number;
  /** Detector thresholds, for finding the finding and for every candidate. @default the detect defaults */
  detect?: Omit<DetectOptions, 'detectors' | 'maxFindingsPerDetector'>;
  onProgress?(progress: ShrinkProgress): void;
}

export interface ShrinkResult {
  /**
   * 'minimal': no single entity or tick can go; 'stopped-early': the time (or the round limit) ran out first, the
   * repro still shows the finding.
   */
  type: 'minimal' | 'stopped-early';
  /** The finding in the input. */
  finding: Finding;
  /** The same finding as the detector reports it on the repro. */
  reproduced: Finding;
  header: TraceHeader;
  records: TickRecord[];
  before: { entities: number; ticks: number };
  after: { entities: number; ticks: number; entityIds: number[]; tickNumbers: number[] };
  /** Applied to every coordinate of the repro (subtract the offset, then round). */
  transform: CoordinateTransform;
  candidates: number;
  /** Candidates answered from the cache. */
  cached: number;
  /** The whole run. */
  elapsedMs: number;
  /** Of which locating the finding (reading the trace and one detector pass). */
  locateMs: number;
}

/** Above this many items a candidate's cache key costs more than it saves. */
const CACHE_MAX_ITEMS = 4096;

/**
 * Shrinks `input` to a small trace on which the detectors still report the finding: ddmin over entities (after
 * trying the finding's own entities, then everyone they had an event with), then over ticks (a dropped tick folds
 * into the next kept one, see {@link projectTrace}), then coordinates (translated toward the origin, rounded as far
 * as the finding survives); repeated until a round removes nothing. The predicate is {@link findMatch}.
 */
export function shrinkTrace(input: TraceInput, options: ShrinkOptions): ShrinkResult {
  const started = Date.now();
  const selector = typeof options.finding === 'string' ? parseFindingSelector(options.finding) : options.finding;
  const detectOptions = options.detect ?? {};
  const header = input.header;
  const located = locateFinding(input, selector, detectOptions, (ticks, entities) =>
    options.onProgress?.({ phase: 'detect', candidates: 0, entities, ticks, elapsedMs: Date.now() - started }),
  );
  const { finding } = located;
  // The budget is the search's: without the finding located there is nothing to shrink.
  const locatedAt = Date.now();
  const deadline = locatedAt + (options.maxSeconds ?? 60) * 1000;
  const signature = signatureOf(finding);
  let current = located.trace.records;
  const before = { entities: located.entities, ticks: located.ticks };
  let candidates = 0;
  let cached = 0;
  let phase: ShrinkPhase = 'detect';
  let complete = true;
  const progress = () =>
    options.onProgress?.({
      phase,
      candidates,
      entities: entityIds(current).length,
      ticks: current.length,
      elapsedMs: Date.now() - started,
    });
  const reproduces = (records: readonly TickRecord[]) => {
    if (Date.now() >= deadline) throw new OutOfTime();
    candidates++;
    const found = findMatch(header, records, signature, detectOptions) !== undefined;
    progress();
    return found;
  };
  /** A ddmin test over `items` of the trace `base`, cached by the subset. */
  const cachedTest = (project: (subset: number[]) => Projection, base: readonly TickRecord[]) => {
    const cache = new Map<string, boolean>();
    return (subset: number[]) => {
      const key = subset.length <= CACHE_MAX_ITEMS ? subset.join(',') : undefined;
      const hit = key === undefined ? undefined : cache.get(key);
      if (hit !== undefined) {
        cached++;
        return hit;
      }
      const result = reproduces(projectTrace(base, project(subset)));
      if (key !== undefined) cache.set(key, result);
      return result;
    };
  };

  const shrinkEntities = (): boolean => {
    phase = 'entities';
    const keys = new Set(signature.keys);
    const start = entityIds(current).length;
    try {
      for (const tier of [keys, withNeighbours(current, keys)]) {
        if (tier.size >= entityIds(current).length) break;
        const candidate = projectTrace(current, { entities: tier });
        if (reproduces(candidate)) {
          current = candidate;
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof OutOfTime)) throw error;
      complete = false;
      return false;
    }
    const base = current;
    const others = entityIds(base).filter((id) => !keys.has(id));
    const keep = (subset: number[]) => ({ entities: new Set([...keys, ...subset]) });
    const result = ddmin(others, cachedTest(keep, base));
    complete &&= result.complete;
    current = projectTrace(base, keep(result.items));
    return entityIds(current).length < start;
  };

  const shrinkTicks = (): boolean => {
    phase = 'ticks';
    const base = current;
    const entities = new Set(entityIds(base));
    const project = (subset: number[]) => ({ entities, ticks: subset });
    const result = ddmin([...base.keys()], cachedTest(project, base));
    complete &&= result.complete;
    current = projectTrace(base, project(result.items));
    return current.length < base.length;
  };

  let transform = IDENTITY;
  const simplifyCoordinates = (): void => {
    phase = 'coordinates';
    const entities = new Set(entityIds(current));
    const origin = firstPosition(current, signature);
    const offsetX = Math.round(origin.x);
    const offsetY = Math.round(origin.y);
    const tries: CoordinateTransform[] = [0, 1, 2, 3].map((decimals) => ({ offsetX, offsetY, decimals }));
    tries.push({ offsetX, offsetY });
    try {
      for (const attempt of tries) {
        const candidate = projectTrace(current, { entities, transform: attempt });
        if (reproduces(candidate)) {
          current = candidate;
          transform = attempt;
          return;
        }
      }
    } catch (error) {
      if (!(error instanceof OutOfTime)) throw error;
      complete = false;
    }
  };

  // A round that removes something may make what an earlier phase kept removable: repeat until one removes nothing.
  let converged = false;
  for (let round = 0; round < 4 && Date.now() < deadline; round++) {
    const fewerEntities = shrinkEntities();
    const fewerTicks = shrinkTicks();
    if (round === 0) simplifyCoordinates();
    else if (!fewerEntities && !fewerTicks) {
      converged = true;
      break;
    }
  }
  if (!converged) complete = false;

  const reproduced = findMatch(header, current, signature, detectOptions);
  if (reproduced === undefined) {
    // Every step kept only candidates the predicate accepted: this would be a bug of the shrinker.
    throw new Error('the shrunk repro lost its finding.');
  }
  const ids = entityIds(current);
  return {
    type: complete ? 'minimal' : 'stopped-early',
    finding,
    reproduced,
    header: {
      ...header,
      attributes: {
        ...header.attributes,
        'shrink.finding': finding.message,
        'shrink.original': `${before.entities} entities, ${before.ticks} ticks`,
      },
    },
    records: current,
    before,
    after: {
      entities: ids.length,
      ticks: current.length,
      entityIds: [...ids].sort((a, b) => a - b),
      tickNumbers: current.map((r) => r.tick),
    },
    transform,
    candidates,
    cached,
    elapsedMs: Date.now() - started,
    locateMs: locatedAt - started,
  };
}

/** `keys` and every entity that had a visibility event with one of them. */
function withNeighbours(records: readonly TickRecord[], keys: ReadonlySet<number>): Set<number> {
  const out = new Set(keys);
  for (const { events } of records) {
    for (let i = 0; i < events.count; i++) {
      const w = events.watchers[i]!;
      const t = events.targets[i]!;
      if (keys.has(w)) out.add(t);
      else if (keys.has(t)) out.add(w);
    }
  }
  return out;
}

/** Where the first key entity first appears (the repro is translated so that it starts near the origin). */
function firstPosition(records: readonly TickRecord[], signature: FindingSignature): { x: number; y: number } {
  for (const record of records) {
    const spawn = record.spawns.find((s) => signature.keys.includes(s.id)) ?? record.spawns[0];
    if (spawn !== undefined) return spawn;
  }
  return { x: 0, y: 0 };
}
