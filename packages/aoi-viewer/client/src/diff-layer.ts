import type { DiffResult } from '../../src/protocol/api-types.js';
import { api } from './api.js';
import type { GhostB } from './overlay.js';

export interface DiffGhosts {
  /** Entities the selected one sees only in B, where B has them. */
  ghosts: GhostB[];
  /** The selected entity as B has it: position and B's own view / leave radius. */
  selected: GhostB | undefined;
}

/**
 * Positions and radii from side B of a diff (trace B, or the other tick of this trace): what A's table at A's tick
 * cannot tell. Reads B's whole state at B's tick once per diff (the same answer the map is built from).
 */
export async function diffGhosts(diff: DiffResult, selected: number | undefined): Promise<DiffGhosts> {
  const onlyB = diff.entity?.onlyB ?? [];
  if (selected === undefined) return { ghosts: [], selected: undefined };
  const state = await api.state(diff.b.source, diff.b.tick);
  const wanted = new Set([...onlyB, selected]);
  const found = new Map<number, GhostB>();
  for (let i = 0; i < state.count; i++) {
    const id = state.ids[i]!;
    if (!wanted.has(id)) continue;
    found.set(id, {
      id,
      x: state.xs[i]!,
      y: state.ys[i]!,
      viewRadius: state.viewRadii[i]!,
      leaveRadius: state.leaveRadii[i]!,
    });
  }
  return {
    ghosts: onlyB.flatMap((id) => found.get(id) ?? []),
    selected: found.get(selected),
  };
}
