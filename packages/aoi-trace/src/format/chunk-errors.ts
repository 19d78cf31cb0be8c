// The errors reading a damaged chunk ends in, shared by the reader's pass and its seek (stateAt).

import { TraceError, TraceErrorCode } from '../errors.js';
import type { ChunkEntry } from './chunk-index.js';

/** A chunk flagged damaged (or out of place) that the read needs. */
export const gap = (entry: ChunkEntry) =>
  new TraceError(TraceErrorCode.Corrupt, `damaged bytes at ${entry.offset}: ${entry.bad}.`, { offset: entry.offset });

/** A chunk error's reason without the "chunk at byte N: " the damage entry already says. */
export const reasonOf = (error: TraceError) => error.message.replace(/^chunk at byte \d+: /, '').replace(/\.$/, '');
