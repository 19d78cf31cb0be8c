import { type EntityStore, Role } from './entity-store.js';
import type { EntitySnapshot } from './types.js';

/** What observers are told of an entity (onAdd, onUpdate): its options as they are now, read from the store. */
export function entitySnapshot(store: EntityStore, slot: number): EntitySnapshot {
  const roles = store.roles[slot]!;
  const height = store.hasHeight
    ? { z: store.z[slot]!, viewHeight: store.viewH[slot]!, leaveHeight: store.leaveH[slot]! }
    : {};
  return {
    ...height,
    x: store.x[slot]!,
    y: store.y[slot]!,
    viewRadius: store.view[slot]!,
    leaveRadius: store.leave[slot]!,
    watcher: (roles & Role.Watcher) !== 0,
    marker: (roles & Role.Marker) !== 0,
    tags: store.tags[slot]!,
    interest: store.interest[slot]!,
  };
}
