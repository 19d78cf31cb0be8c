// JSON shapes of the viewer's HTTP API (small answers only; bulk data goes through wire.ts).

/** A finding of an anomaly detector, taken as data. */
export interface AnomalyFinding {
  readonly detector: string;
  readonly tick: number;
  readonly entities: readonly number[];
  readonly message: string;
}

export type SourceId = 'a' | 'b';

export interface SourceInfo {
  readonly id: SourceId;
  readonly name: string;
  readonly kind: 'file' | 'live';
  /** Null until a live stream has begun. */
  readonly header: {
    readonly source: string;
    readonly startTime: number;
    /** Edge of the recorded cells (the trace's `regionSize`): the heat layer's default cell. */
    readonly regionSize: number;
    readonly attributes: Readonly<Record<string, string>>;
  } | null;
  /** First and last tick available; null while there is none. */
  readonly first: number | null;
  readonly last: number | null;
  /** Tag names: bit i of a wire tag mask is `tags[i]` (at most 32). */
  readonly tags: readonly string[];
  readonly anomalyCount: number;
}

export interface ViewerInfo {
  readonly sources: readonly SourceInfo[];
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

export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}
