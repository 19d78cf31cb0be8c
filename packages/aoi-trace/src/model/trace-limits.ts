// What a trace may hold: the values the .aoitrace format stores exactly and replay can compute with. Validation
// (NDJSON import, live ingest) refuses anything else at the line, so a validated tick never fails in the writer.
// docs/aoi-trace-ndjson.md, "Limits", lists them for producers.

import { MAX_QUANTIZED, type Quantizer } from '../format/quantizer.js';

export const TRACE_LIMITS = {
  /** Entity ids are int32 columns everywhere (and @lanes/aoi's MAX_ID). */
  maxId: 0x7fffffff,
  /**
   * Keyframes store an entity's spawn tick and the index stores tick ranges as zigzag varints, which the reader
   * takes up to 2^53 - 1: a tick of 2^52 or more would write chunks that read back as damaged.
   */
  maxTick: 2 ** 52 - 1,
  /** Positions are stored as integers q with |q| <= 2^48 quanta (format/quantizer.ts). */
  maxQuantized: MAX_QUANTIZED,
  /**
   * Radii are stored as doubles, but replay, the detectors and the engine compare squared distances: a radius whose
   * square overflows (about 1.34e154) would make every comparison wrong. 2^511 squares to 2^1022.
   */
  maxRadius: 2 ** 511,
} as const;

/** The largest |x| a trace with this quantum stores: 2^48 quanta. */
export function positionLimit(quantum: number): number {
  return MAX_QUANTIZED * quantum;
}

/** Asks the format's own quantizer, so the check and the writer can never disagree at the edge. */
export function positionFits(quantizer: Quantizer, value: number): boolean {
  return !Number.isNaN(quantizer.encode(value));
}

/** UTF-8 (the store's string encoding) has no lone surrogates; JSON text may carry them as `\ud800`. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

const LONE_SURROGATE = /\p{Cs}/u;
