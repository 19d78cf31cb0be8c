// The height block of spawns, updates and keyframe entities (format 2.2, docs/aoitrace-format.md, "Height"): a `u8`
// presence (1 z, 2 viewHeight, 4 leaveHeight; other bits 0), then an `f64` for each present field, in that order.
// Stored exactly (z is not quantized like x and y); Infinity is a valid half-height (no vertical limit).

import { type HeightFields, hasHeight } from '../model/height.js';
import type { EntitySpawn, EntityUpdate, TickRecord } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

const Present = { Z: 1, View: 2, Leave: 4 } as const;

export function writeHeight(out: ByteWriter, fields: Readonly<HeightFields>): void {
  const { z, viewHeight, leaveHeight } = fields;
  out.u8(
    (z !== undefined ? Present.Z : 0) |
      (viewHeight !== undefined ? Present.View : 0) |
      (leaveHeight !== undefined ? Present.Leave : 0),
  );
  if (z !== undefined) out.f64(z);
  if (viewHeight !== undefined) out.f64(viewHeight);
  if (leaveHeight !== undefined) out.f64(leaveHeight);
}

/** Reads a height block; a presence byte with unknown bits, or a NaN, is damage (`fail`). */
export function readHeight(input: ByteReader): HeightFields {
  const presence = input.u8();
  if (presence > 7) throw input.fail(`unknown height presence ${presence}`);
  const fields: HeightFields = {};
  const read = (what: string) => {
    const value = input.f64();
    if (Number.isNaN(value)) throw input.fail(`${what} is NaN`);
    return value;
  };
  if (presence & Present.Z) fields.z = read('z');
  if (presence & Present.View) fields.viewHeight = read('viewHeight');
  if (presence & Present.Leave) fields.leaveHeight = read('leaveHeight');
  return fields;
}

/** Whether a tick needs the height block (tick flag 128): some spawn or update has a height field. */
export function tickHasHeight(record: TickRecord): boolean {
  return record.spawns.some(hasHeight) || record.updates.some(hasHeight);
}

/**
 * The height block of a tick, after its despawns: the spawns with height as `varint` count, then per spawn `varint`
 * (index in the tick's spawns − previous index − 1, first: index) and its height fields; then the updates the same
 * way. A 2.1 reader refuses the tick (unknown tick flag 128) instead of misreading it.
 */
export function encodeHeights(out: ByteWriter, record: TickRecord): void {
  for (const list of [record.spawns, record.updates] as ReadonlyArray<readonly HeightFields[]>) {
    let count = 0;
    for (const item of list) if (hasHeight(item)) count++;
    out.varint(count);
    let prev = -1;
    list.forEach((item, index) => {
      if (!hasHeight(item)) return;
      out.varint(index - prev - 1);
      prev = index;
      writeHeight(out, item);
    });
  }
}

/** Reads a tick's height block and returns its spawns and updates with their height fields. */
export function decodeHeights(
  input: ByteReader,
  spawns: readonly EntitySpawn[],
  updates: readonly EntityUpdate[],
): { spawns: EntitySpawn[]; updates: EntityUpdate[] } {
  const patch = <T extends HeightFields>(list: readonly T[], what: string): T[] => {
    const next = [...list];
    const count = input.count(`${what} height`, 2);
    let prev = -1;
    for (let i = 0; i < count; i++) {
      const index = prev + 1 + input.varint();
      if (!(index < next.length)) throw input.fail(`height of ${what} ${index}, but the tick has ${next.length}`);
      prev = index;
      next[index] = { ...next[index]!, ...readHeight(input) };
    }
    return next;
  };
  return { spawns: patch(spawns, 'spawn'), updates: patch(updates, 'update') };
}
