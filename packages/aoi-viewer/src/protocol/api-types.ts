// JSON shapes of the viewer's HTTP API (small answers only; bulk data goes through wire.ts).

/** A finding of an anomaly detector, taken as data. */
export interface AnomalyFinding {
  readonly detector: string;
  readonly tick: number;
  readonly entities: readonly number[];
  readonly message: string;
}

export type SourceId = 'a' | 'b';

/**
 * Where the detectors are, and how many findings each one made in all: the list the page gets keeps at most a
 * cap per detector, so the page can say "500 of 586 shown" and "detectors running…" instead of a wrong total.
 */
export interface DetectionStatus {
  /** `off`: none ran (or will); `running`: findings may still come (always so for a live stream); `done`. */
  readonly state: 'off' | 'running' | 'done' | 'failed';
  /** Exact number of findings per detector so far (the listed ones are a prefix of these). */
  readonly counts: Readonly<Record<string, number>>;
  /** Why the detectors stopped, when `failed`. */
  readonly error?: string;
}

export interface SourceInfo {
  readonly id: SourceId;
  readonly name: string;
  readonly kind: 'file' | 'live';
  /** Null until a live stream has begun. */
  readonly header: {
    readonly source: string;
    readonly startTime: number;
    /** Edge of the recorded cells (the trace's `regionSize`). */
    readonly regionSize: number;
    /**
     * The heat layer's cell: the engine's own grid cell when the recorder wrote it (attribute `aoi.cellSize`, so the
     * layer shows the occupancy the engine reports), else `regionSize`; `cellSizeFrom` says which.
     */
    readonly cellSize: number;
    readonly cellSizeFrom: 'header' | 'regionSize';
    readonly attributes: Readonly<Record<string, string>>;
  } | null;
  /** First and last tick available; null while there is none. */
  readonly first: number | null;
  readonly last: number | null;
  /** Tag names: bit i of a wire tag mask is `tags[i]` (at most 32). */
  readonly tags: readonly string[];
  /** Findings listed by /api/anomalies. */
  readonly anomalyCount: number;
  readonly detection: DetectionStatus;
}

export interface ViewerInfo {
  readonly sources: readonly SourceInfo[];
  /** For a live stream: where producers send ticks (shown while waiting for data). */
  readonly ingest?: string;
}

export type LifecycleKind = 'created' | 'moved-in' | 'moved-out' | 'destroyed';

export interface LifecycleMark {
  readonly tick: number;
  readonly kind: LifecycleKind;
  /** For moved-in / moved-out: the other entity, and whether this entity was the watcher or the target. */
  readonly other?: number;
  readonly role?: 'watcher' | 'target';
}

export interface EventRow {
  readonly tick: number;
  readonly kind: 'enter' | 'exit' | 'move';
  readonly watcher: number;
  readonly target: number;
}

export interface EntityDetail {
  readonly id: number;
  /** The state the answer describes (the last tick <= the asked one). */
  readonly tick: number;
  /** Null when the entity does not exist at `tick`. */
  readonly entity: {
    readonly x: number;
    readonly y: number;
    readonly viewRadius: number;
    readonly leaveRadius: number;
    readonly watcher: boolean;
    readonly marker: boolean;
    readonly tags: readonly string[];
    readonly spawnTick: number;
    /** Height, when the trace has it; a half-height of null (JSON for Infinity) has no vertical limit. */
    readonly z?: number;
    readonly viewHeight?: number | null;
    readonly leaveHeight?: number | null;
  } | null;
  /** Ids it sees at `tick`, ascending. */
  readonly view: readonly number[];
  /** How many watchers see it at `tick`. */
  readonly seenBy: number;
  /** The window searched for lifecycle marks and events. */
  readonly from: number;
  readonly to: number;
  readonly lifecycle: readonly LifecycleMark[];
  readonly events: readonly EventRow[];
  /** True when the window held more events than were returned. */
  readonly truncated: boolean;
}

export interface SearchMatch {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly tags: readonly string[];
}

export interface SearchResult {
  readonly query: string;
  readonly tick: number;
  readonly total: number;
  readonly matches: readonly SearchMatch[];
  /** For an id that is not alive at `tick`: why (when it left, or that it was not seen nearby). */
  readonly absent?: string;
}

export interface PathResult {
  readonly id: number;
  readonly ticks: readonly number[];
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

export interface DiffSide {
  readonly source: SourceId;
  readonly tick: number;
}

export interface WatcherDiff {
  readonly id: number;
  /** Ids it sees in A and not in B, and the reverse. */
  readonly onlyA: readonly number[];
  readonly onlyB: readonly number[];
}

export interface DiffResult {
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Watchers whose view sets differ, most different first (at most `limit`). */
  readonly watchers: readonly WatcherDiff[];
  /** Every watcher whose view set differs, ascending by difference size (for colouring the map). */
  readonly differingIds: readonly number[];
  readonly watchersDiffering: number;
  readonly pairsOnlyA: number;
  readonly pairsOnlyB: number;
  /** The asked entity's diff (also when it does not differ). */
  readonly entity?: WatcherDiff;
}

/** GET /api/churn?source=&from=&to=&bins=: enters plus leaves per tick, for the what-if chart over the timeline. */
export interface ChurnSeries {
  readonly from: number;
  readonly to: number;
  /** Enters plus leaves over the whole window. */
  readonly total: number;
  /** Per bin (equal shares of the window, left to right): the mean churn per tick of the ticks in it. */
  readonly perTick: readonly number[];
}

/**
 * GET /api/occupancy?source=&tick=[&cellSize=]: entities per square cell at a tick, for a heat layer. Cell (gx, gy)
 * spans [gx*cellSize, (gx+1)*cellSize) x [gy*cellSize, (gy+1)*cellSize). The cell edge is the query's, else the
 * engine's as recorded in the header (attribute `aoi.cellSize`), else the header's region size.
 */
export interface OccupancyResult {
  /** The state the answer describes (the last tick <= the asked one). */
  readonly tick: number;
  readonly cellSize: number;
  readonly cellSizeFrom: 'query' | 'header' | 'regionSize';
  readonly entities: number;
  /** Occupied cells, their largest count, mean count and population standard deviation (the seed's indicators). */
  readonly cells: number;
  readonly max: number;
  readonly mean: number;
  readonly stdDev: number;
  /** One entry per returned cell, ascending by `gy`, then `gx`. */
  readonly gx: readonly number[];
  readonly gy: readonly number[];
  readonly counts: readonly number[];
  /** More than MAX_OCCUPANCY_CELLS cells were occupied: only the fullest ones are returned. */
  readonly truncated: boolean;
}

export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}
