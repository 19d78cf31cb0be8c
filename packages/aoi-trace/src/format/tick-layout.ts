// The tick's layout constants shared by TickEncoder and TickDecoder (docs/aoitrace-format.md, "Tick"): the flag
// bits of a tick, a spawn and an update, the residual escape, and the per-chunk context a tick is encoded against.

export const TickFlag = {
  Span: 1,
  TimeF64: 2,
  EventBase: 4,
  Messages: 8,
  Spawns: 16,
  Updates: 32,
  Despawns: 64,
  /** Format 2.2: a height block follows the despawns (see encodeHeights). */
  Height: 128,
} as const;

/** Respawn (format 2.1): the id's old entity was removed before this spawn, in this tick. */
/** Height (format 2.2, keyframe entities only): a height block follows the leave radius. */
export const SpawnFlag = { Watcher: 1, Marker: 2, SameLeave: 4, Respawn: 8, Height: 16 } as const;
export const UpdateFlag = { View: 1, Leave: 2, Watcher: 4, Marker: 8, Tags: 16, WatcherOn: 32, MarkerOn: 64 } as const;
/** Residual nibble meaning "not in -1..1 on some axis: two svarints follow in the escape list". */
export const ESCAPE = 15;

/** What the next tick is encoded against; reset at the start of every chunk. */
export interface ChunkContext {
  prevTick: number;
  prevTime: number;
  nextEventBase: number;
}
