// Opening a file: the file header, the header chunk, then the index through the footer, or (after a crash, kill or
// damage) an index rebuilt by walking the chunks, noting where the file was cut and which chunks are damaged.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceHeader } from '../model/types.js';
import { ByteReader } from './byte-reader.js';
import { decodeFrame } from './chunk-frame.js';
import { type ChunkEntry, decodeFooter, decodeIndex, GAP_KIND } from './chunk-index.js';
import { inflate, loadChunk, probeChunk } from './chunk-io.js';
import { decodeHeader } from './header-codec.js';
import type { ReadSource } from './io.js';
import {
  CHUNK_HEADER_BYTES,
  CHUNK_SYNC,
  ChunkKind,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FOOTER_BYTES,
  FORMAT_MAJOR,
  PREDICTED_MAJOR,
  PREDICTED_MINOR,
  type PredictedMinor,
} from './layout.js';
import { Limits } from './limits.js';

export interface CorruptChunk {
  readonly offset: number;
  readonly reason: string;
}

export interface OpenedLayout {
  readonly header: TraceHeader;
  /** The file's major version: 2, or 3 (events stored against the prediction, see event-predictor.ts). */
  readonly major: number;
  /** 3.x only: the rule the file is stored against (its minor); undefined for 2.x. */
  readonly predicted: PredictedMinor | undefined;
  /** Keyframe and ticks chunks in file order (damaged ones flagged with `bad`). */
  readonly entries: ChunkEntry[];
  /** True when the footer and index were intact (the writer's close() ran). */
  readonly complete: boolean;
  /** When not complete: where the readable part ends (the start of the partial chunk, or the end of the file). */
  readonly cutAt?: number;
  readonly corrupt: CorruptChunk[];
}

export function openLayout(source: ReadSource): OpenedLayout {
  const { major, predicted } = checkFileHeader(source);
  const headerChunk = loadChunk(source, FILE_HEADER_BYTES, ChunkKind.Header);
  const header = decodeHeader(new ByteReader(headerChunk.payload, FILE_HEADER_BYTES, 'header'));
  const dataStart = FILE_HEADER_BYTES + CHUNK_HEADER_BYTES + headerChunk.frame.storedLength;
  const indexed = readIndex(source, dataStart);
  if (indexed) return { header, major, predicted, entries: indexed, complete: true, corrupt: [] };
  return { header, major, predicted, ...scanChunks(source, dataStart) };
}

function checkFileHeader(source: ReadSource): { major: number; predicted: PredictedMinor | undefined } {
  const bytes = source.read(0, Math.min(FILE_HEADER_BYTES, source.size));
  for (let i = 0; i < Math.min(bytes.length, FILE_MAGIC.length); i++) {
    if (bytes[i] !== FILE_MAGIC[i]) {
      throw new TraceError(TraceErrorCode.BadFormat, 'not an .aoitrace file: the first bytes are not AOITRACE.', {
        offset: i,
      });
    }
  }
  if (bytes.length < FILE_HEADER_BYTES) {
    throw new TraceError(TraceErrorCode.Truncated, `the file ends inside its ${FILE_HEADER_BYTES}-byte header.`, {
      offset: 0,
    });
  }
  const major = bytes[8]! | (bytes[9]! << 8);
  if (major !== FORMAT_MAJOR && major !== PREDICTED_MAJOR) {
    throw new TraceError(
      TraceErrorCode.BadFormat,
      `got .aoitrace v${major} data; this reader reads v${FORMAT_MAJOR} and v${PREDICTED_MAJOR}.`,
      { offset: 8 },
    );
  }
  if (major === FORMAT_MAJOR) return { major, predicted: undefined };
  const minor = bytes[10]! | (bytes[11]! << 8);
  if (minor > PREDICTED_MINOR) {
    throw new TraceError(
      TraceErrorCode.BadFormat,
      `got .aoitrace v${major}.${minor} data; this reader reads v${major} up to ${major}.${PREDICTED_MINOR}.`,
      { offset: 10 },
    );
  }
  return { major, predicted: minor as PredictedMinor };
}

/** The index via the footer, or undefined when there is no intact footer + index (then the caller scans). */
function readIndex(source: ReadSource, dataStart: number): ChunkEntry[] | undefined {
  if (source.size < dataStart + CHUNK_HEADER_BYTES + FOOTER_BYTES) return undefined;
  const indexOffset = decodeFooter(source.read(source.size - FOOTER_BYTES, FOOTER_BYTES));
  if (indexOffset === undefined || indexOffset < dataStart) return undefined;
  const probe = probeChunk(source, indexOffset);
  if (probe.type !== 'chunk' || probe.frame.kind !== ChunkKind.Index) return undefined;
  if (indexOffset + CHUNK_HEADER_BYTES + probe.frame.storedLength + FOOTER_BYTES !== source.size) return undefined;
  try {
    const payload = inflate(probe.stored, probe.frame, indexOffset);
    return decodeIndex(new ByteReader(payload, indexOffset, 'index'), dataStart, indexOffset);
  } catch (error) {
    if (error instanceof TraceError) return undefined;
    throw error;
  }
}

/** Walks the chunks from `dataStart`: every complete chunk is indexed, damage is noted and skipped. */
function scanChunks(
  source: ReadSource,
  dataStart: number,
): Omit<OpenedLayout, 'header' | 'major' | 'predicted' | 'complete'> & { complete: false } {
  const entries: ChunkEntry[] = [];
  const corrupt: CorruptChunk[] = [];
  let offset = dataStart;
  // Where the readable part ends: the start of a partial chunk, the end of the file, or after an index chunk
  // whose footer is missing. Undefined only when damage runs to the end of the file.
  let cutAt: number | undefined;
  for (;;) {
    if (entries.length >= Limits.chunks) {
      throw new TraceError(
        TraceErrorCode.Limit,
        `more than ${Limits.chunks} chunks before byte ${offset} (docs/aoitrace-format.md, "Limits").`,
        { offset },
      );
    }
    if (offset >= source.size) {
      cutAt = offset;
      break;
    }
    const probe = probeChunk(source, offset);
    if (probe.type === 'cut') {
      cutAt = offset;
      break;
    }
    if (probe.type === 'bad-frame') {
      const next = findNextFrame(source, offset + 1);
      corrupt.push({ offset, reason: probe.reason });
      entries.push({ offset, kind: GAP_KIND, storedLength: 0, firstTick: 0, lastTick: 0, bad: probe.reason });
      if (next === undefined) break;
      offset = next;
      continue;
    }
    const { frame } = probe;
    const end = offset + CHUNK_HEADER_BYTES + frame.storedLength;
    if (frame.kind === ChunkKind.Index) {
      cutAt = end;
      break;
    }
    if (probe.type === 'bad-payload') corrupt.push({ offset, reason: probe.reason });
    if (frame.kind === ChunkKind.Keyframe || frame.kind === ChunkKind.Ticks || probe.type === 'bad-payload') {
      entries.push({
        offset,
        kind: frame.kind,
        storedLength: frame.storedLength,
        firstTick: frame.firstTick,
        lastTick: frame.lastTick,
        ...(probe.type === 'bad-payload' ? { bad: probe.reason } : {}),
      });
    }
    offset = end;
  }
  return { entries, corrupt, complete: false, ...(cutAt !== undefined ? { cutAt } : {}) };
}

/** The offset of the next valid chunk frame at or after `from`, searching block by block. */
function findNextFrame(source: ReadSource, from: number): number | undefined {
  const block = 1 << 16;
  for (let start = from; start + CHUNK_HEADER_BYTES <= source.size; start += block) {
    const bytes = source.read(start, Math.min(block + CHUNK_HEADER_BYTES, source.size - start));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < block && i + CHUNK_HEADER_BYTES <= bytes.length; i++) {
      if (view.getUint32(i, true) !== CHUNK_SYNC) continue;
      if (typeof decodeFrame(bytes.subarray(i, i + CHUNK_HEADER_BYTES)) !== 'string') return start + i;
    }
  }
  return undefined;
}
