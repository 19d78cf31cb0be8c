// What a TraceRecorder (recorder.ts) takes: its options, and those of a tick's end and a message's start.

import type { SpanContext } from '../model/types.js';

export interface RecorderOptions {
  /** Tag names: bit i of the engine's tag mask is `tagNames[i]` (unnamed bits become `bit<i>`). */
  tagNames?: readonly string[];
  /** @default '@lanes/aoi <algorithm>' */
  source?: string;
  /** See {@link TraceHeader.regionSize}. @default 64 */
  regionSize?: number;
  /** See {@link TraceHeader.quantum}. @default 1/1024 */
  quantum?: number;
  /** See {@link TraceHeader.epsilon}. @default 0 (lossless) */
  epsilon?: number;
  attributes?: Record<string, string>;
  /** Trace id of the tick spans; @default a new random one per recording. */
  traceId?: string;
  /** Clock for tick times. @default Date.now */
  now?: () => number;
  /** Number of the first tick. @default 0 */
  firstTick?: number;
}

export interface EndTickOptions {
  /** @default now() */
  time?: number;
  /** @default a new span in the recording's trace */
  span?: SpanContext;
}

export interface MessageOptions {
  /** The entity the message is about. */
  entity?: number;
  /** The sender's W3C traceparent, if the message carried one; an invalid one is ignored (the message still counts). */
  traceparent?: string | undefined;
}
