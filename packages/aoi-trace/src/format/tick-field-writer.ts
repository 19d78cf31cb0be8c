// The small fields a tick repeats in its sections (spans, tags, causes, entity ids), written and checked the same way
// wherever they occur; tick-field-reader.ts reads them back.

import type { SpanContext, TickRecord } from '../model/types.js';
import { invalidTick } from '../model/world-rules.js';
import type { ByteWriter } from './byte-writer.js';
import type { StringTableWriter } from './string-table.js';

export function writeSpan(out: ByteWriter, strings: StringTableWriter, span: SpanContext): void {
  strings.write(out, span.traceId);
  strings.write(out, span.spanId);
}

export function writeTags(out: ByteWriter, strings: StringTableWriter, tags: readonly string[]): void {
  out.varint(tags.length);
  for (const tag of tags) strings.write(out, tag);
}

export function writeCause(out: ByteWriter, cause: number, record: TickRecord): void {
  if (!Number.isInteger(cause) || cause < -1 || cause >= record.messages.length) {
    throw invalidTick(
      record.tick,
      `cause ${cause} is not -1 or an index into the tick's ${record.messages.length} messages.`,
    );
  }
  out.varint(cause + 1);
}

export function checkId(id: number, tick: number): void {
  if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) {
    throw invalidTick(tick, `entity id ${id} is not a 32-bit integer.`);
  }
}
