// Fixed numbers of the .aoitrace layout (docs/aoitrace-format.md describes every byte).

/** File header: `AOITRACE` then u16 major, u16 minor, u32 flags (0). */
export const FILE_MAGIC = new Uint8Array([0x41, 0x4f, 0x49, 0x54, 0x52, 0x41, 0x43, 0x45]);
export const FORMAT_MAJOR = 2;
/** 1: spawn flag 8 (respawn). A 2.0 reader refuses a respawn as a spawn of an existing entity (CORRUPT). */
export const FORMAT_MINOR = 2;
export const FILE_HEADER_BYTES = 16;
/**
 * Format 3.0 (opt-in, TraceWriterOptions.format): ticks chunks store only the events that differ from the ones the
 * recorded rule predicts (event-predictor.ts). A new major, so that every 2.x reader refuses it instead of misreading.
 */
export const PREDICTED_MAJOR = 3;
/**
 * 1: format 3.1 (keyframe view sets predicted, the canonical event order follows the engine's slot allocation, the
 * leave half-height defaults to the view half-height). 3.0 (minor 0) stays readable and writable. A reader refuses a
 * 3.x minor above this one: every 3.x minor changes the rule, so an older reader would misread it.
 */
export const PREDICTED_MINOR = 1;
/** The format versions a writer can write, and this reader reads. */
export const FORMAT_VERSIONS = ['2.2', '3.0', '3.1'] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];
/** The newest format, what `convert --to` writes by default. */
export const NEWEST_FORMAT: FormatVersion = '3.1';
/** Which rule a 3.x file's events and keyframes are stored against: its minor (0: 3.0, 1: 3.1). */
export type PredictedMinor = 0 | 1;

/** The minor of a predicted format version, or undefined for 2.2. */
export function predictedMinorOf(version: FormatVersion): PredictedMinor | undefined {
  return version === '3.1' ? 1 : version === '3.0' ? 0 : undefined;
}

/** Every chunk starts with this u32 (bytes `AOIC`), so a reader can find the next chunk after a damaged one. */
export const CHUNK_SYNC = 0x43494f41;
export const CHUNK_HEADER_BYTES = 40;

/** The footer, the last 16 bytes of a closed file: `AOIF`, f64 offset of the index chunk, CRC-32 of the 12 bytes before. */
export const FOOTER_MAGIC = 0x46494f41;
export const FOOTER_BYTES = 16;

export const ChunkKind = { Header: 1, Keyframe: 2, Ticks: 3, Index: 4 } as const;
export type ChunkKind = (typeof ChunkKind)[keyof typeof ChunkKind];
export const CHUNK_KIND_NAMES: Record<number, string> = { 1: 'header', 2: 'keyframe', 3: 'ticks', 4: 'index' };

/** Chunk flag bit 0: the payload is raw deflate of `rawLength` bytes. */
export const CHUNK_DEFLATED = 1;
