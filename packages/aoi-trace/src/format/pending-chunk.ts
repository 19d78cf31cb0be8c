// What a TraceWriter keeps of each chunk it handed to its packer, to index it once the packed bytes are back.

/** What the writer remembers about a chunk until its packed bytes come back. */
export interface PendingChunk {
  readonly kind: number;
  readonly firstTick: number;
  readonly lastTick: number;
  readonly ticks?: number;
  readonly moves?: number;
  readonly events?: number;
  /** Entities in a keyframe. */
  readonly entities?: number;
  /** Format 3.1: the view pairs at a keyframe (the predictor's; the packer keeps no view sets for 3.1). */
  readonly pairs?: number | undefined;
}
