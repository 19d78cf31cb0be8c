import type { ViewTable } from '../format/view-table.js';
import { hasHeight, heightOf } from '../model/height.js';
import type { TickRecord } from '../model/types.js';
import type { WorldState } from '../model/world-state.js';
import type { PairChanges } from './pair-changes.js';
import type { TickGeometry } from './tick-geometry.js';

export const DETECTOR_NAMES = ['torn-view', 'delayed-broadcast', 'adjacency', 'oscillation', 'ground-truth'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** One anomaly: who, when, and the evidence (positions, distance, radii, the events seen). */
export interface Finding {
  detector: DetectorName;
  /** The tick the anomaly began (for a late or missing event: the tick the event was due). */
  tick: number;
  /** The entities involved; for a pair, [watcher, target]. */
  entities: number[];
  message: string;
  evidence: Record<string, unknown>;
}

/** What a detector sees of one tick: the record, the world after it, and the recorded geometry. */
export interface DetectorTick {
  record: TickRecord;
  state: WorldState;
  /** Loaded (and its pairs findable) on full ticks only. */
  geometry: TickGeometry;
  /** The pairs whose decisions may have changed (all of them when `full`). */
  changes: PairChanges;
  /** Whether the pair had an event in this tick. */
  touched(watcher: number, target: number): boolean;
  /**
   * The recorded views after the tick, the same as `state.views`, as sorted lists: `seen.has(w, t)` reads one
   * short list instead of a Map and a Set (the detectors ask this for every pair they look at).
   */
  seen: ViewTable;
  /** The trace has height: views are cylinders (cylinder.ts); false for a 2D trace, which pays nothing for it. */
  height: boolean;
}

export interface Detector {
  onTick(tick: DetectorTick): void;
  /** After the last tick (`lastTick`, or -1 for an empty trace): close what is still open. */
  finish(lastTick: number, state: WorldState): void;
}

/** Keeps the first `cap` findings of each detector and counts them all. */
export class FindingLog {
  readonly counts = Object.fromEntries(DETECTOR_NAMES.map((d) => [d, 0])) as Record<DetectorName, number>;
  readonly findings: Finding[] = [];
  private readonly kept = Object.fromEntries(DETECTOR_NAMES.map((d) => [d, 0])) as Record<DetectorName, number>;

  constructor(private readonly cap: number) {}

  add(finding: Finding): void {
    this.counts[finding.detector]++;
    if (this.kept[finding.detector] >= this.cap) return;
    this.kept[finding.detector]++;
    this.findings.push(finding);
  }

  truncated(detector: DetectorName): boolean {
    return this.counts[detector] > this.kept[detector];
  }
}

const DETECTOR_RANK = new Map<DetectorName, number>(DETECTOR_NAMES.map((d, i) => [d, i]));

/**
 * The report's order: by tick, then detector (DETECTOR_NAMES order), then entities (element by element), then
 * message; findings equal in all of these keep the order they were found in. The detectors meet pairs in an order
 * that depends on how they store the world, so the report does not follow it.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    if (a.tick !== b.tick) return a.tick - b.tick;
    if (a.detector !== b.detector) return DETECTOR_RANK.get(a.detector)! - DETECTOR_RANK.get(b.detector)!;
    const n = Math.min(a.entities.length, b.entities.length);
    for (let i = 0; i < n; i++) if (a.entities[i] !== b.entities[i]) return a.entities[i]! - b.entities[i]!;
    if (a.entities.length !== b.entities.length) return a.entities.length - b.entities.length;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

/** Position and radii of an entity, for evidence. */
export function describeEntity(state: WorldState, id: number): Record<string, unknown> {
  const e = state.entities.get(id);
  if (e === undefined) return { id, alive: false };
  const entity = { id, x: e.x, y: e.y, viewRadius: e.viewRadius, leaveRadius: e.leaveRadius };
  // Ground truth describes every transition it expects: a 2D entity pays no copy for height.
  return hasHeight(e) ? { ...entity, ...heightOf(e) } : entity;
}

export function distanceBetween(state: WorldState, a: number, b: number): number | undefined {
  const p = state.entities.get(a);
  const q = state.entities.get(b);
  if (p === undefined || q === undefined) return undefined;
  return Math.hypot(p.x - q.x, p.y - q.y);
}
