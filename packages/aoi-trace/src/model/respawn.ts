import type { TickRecord } from './types.js';

/**
 * Ids of the tick's respawns (remove(id) then add(id) in one tick, see EntitySpawn.respawn), or undefined when it
 * has none: the common case costs one pass over the spawns and no allocation.
 */
export function respawnedIds(record: TickRecord): ReadonlySet<number> | undefined {
  let ids: Set<number> | undefined;
  for (const spawn of record.spawns) {
    if (spawn.respawn !== true) continue;
    ids ??= new Set();
    ids.add(spawn.id);
  }
  return ids;
}
