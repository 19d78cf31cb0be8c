// The small fields a tick repeats in its sections (spans, tags, causes, entity ids), read back and bounded the same
// way wherever they occur; the inverse of tick-field-writer.ts.

import type { SpanContext } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import { type ChunkBudget, DecodeCost } from './limits.js';
import type { StringTableReader } from './string-table.js';

export function readSpan(input: ByteReader, strings: StringTableReader): SpanContext {
  const traceId = strings.read(input);
  return { traceId, spanId: strings.read(input) };
}

export function readTags(input: ByteReader, strings: StringTableReader, budget: ChunkBudget): string[] {
  const count = input.count('tag');
  budget.charge(count, DecodeCost.tag, 'tag');
  const tags: string[] = [];
  for (let i = 0; i < count; i++) tags.push(strings.read(input));
  return tags;
}

export function readCause(input: ByteReader, messageCount: number): number {
  const cause = input.varint() - 1;
  if (cause >= messageCount) throw input.fail(`cause ${cause} but the tick has ${messageCount} messages`);
  return cause;
}

export function readId(input: ByteReader, base: number): number {
  const id = base + input.svarint();
  if (id < -0x80000000 || id > 0x7fffffff) throw input.fail(`entity id ${id} out of range`);
  return id;
}
