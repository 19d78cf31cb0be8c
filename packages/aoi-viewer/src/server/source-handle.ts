import { type TraceHeader, traceCellSize, type WorldState } from '@lanes/aoi-trace';
import type { AnomalyFinding, DetectionStatus, SourceId, SourceInfo } from '../protocol/api-types.js';
import type { ViewerDataSource } from './data-source.js';
import { DetectionTally } from './detection-tally.js';
import { TagTable } from './tag-table.js';

const CACHED_STATES = 4;

/** A data source as the server uses it: with its tag table and a few recently asked states. */
export class SourceHandle {
  readonly tags: TagTable;
  private readonly states: WorldState[] = [];

  constructor(
    readonly id: SourceId,
    readonly source: ViewerDataSource,
  ) {
    this.tags = new TagTable(source.header()?.tagNames ?? []);
  }

  info(): SourceInfo {
    const header = this.source.header();
    if (header !== undefined && this.tags.names.length === 0)
      for (const name of header.tagNames) this.tags.maskOf([name]);
    const bounds = this.source.bounds();
    const anomalies = this.source.anomalies();
    return {
      id: this.id,
      name: this.source.name,
      kind: this.source.kind,
      header: header ? headerInfo(header) : null,
      first: bounds?.first ?? null,
      last: bounds?.last ?? null,
      tags: this.tags.names,
      anomalyCount: anomalies.length,
      detection: this.source.detection?.() ?? listedOnly(anomalies),
    };
  }

  /**
   * The world after `tick`, cached: the page asks for the state, the selection, search and diff at the same tick.
   * Ticks past the end are not cached (a live stream still grows there).
   */
  stateAt(tick: number): WorldState {
    const last = this.source.bounds()?.last;
    const cacheable = last !== undefined && tick <= last;
    if (cacheable) {
      const hit = this.states.find((s) => s.tick === tick || (s as CachedState).askedTick === tick);
      if (hit !== undefined) return hit;
    }
    const state = this.source.stateAt(tick);
    if (cacheable) {
      (state as CachedState).askedTick = tick;
      this.states.unshift(state);
      if (this.states.length > CACHED_STATES) this.states.pop();
    }
    return state;
  }
}

interface CachedState extends WorldState {
  askedTick?: number;
}

/** A source that does not report its detectors: what it lists is all there is. */
function listedOnly(findings: readonly AnomalyFinding[]): DetectionStatus {
  const tally = new DetectionTally(findings.length > 0 ? 'done' : 'off');
  tally.countFindings(findings);
  return tally.status();
}

/** What the page needs of a header: its `cellSize` by the one rule the occupancy API uses too (traceCellSize). */
function headerInfo(header: TraceHeader): NonNullable<SourceInfo['header']> {
  const { cellSize, from } = traceCellSize(header);
  return {
    source: header.source,
    startTime: header.startTime,
    regionSize: header.regionSize,
    cellSize,
    cellSizeFrom: from,
    attributes: header.attributes,
  };
}
