import type { DiffResult, EntityDetail } from '../../src/protocol/api-types.js';
import { Colour } from './palette.js';

/** What the map's marks follow: the page's selection, search, diff and anomaly state (the App's fields). */
export interface MarkState {
  readonly highlights: ReadonlySet<number>;
  readonly diffOn: boolean;
  readonly diff: DiffResult | undefined;
  readonly detail: EntityDetail | undefined;
  readonly anomalyIds: ReadonlySet<number>;
  readonly selected: number | undefined;
}

/** Ids to draw marked, by colour; later rules win (selection over view set over highlights). */
export function mapMarks(state: MarkState): Map<number, number> {
  const marks = new Map<number, number>();
  for (const id of state.highlights) marks.set(id, Colour.Highlight);
  if (state.diffOn && state.diff) {
    if (state.selected === undefined) for (const id of state.diff.differingIds) marks.set(id, Colour.DiffWatcher);
    for (const id of state.diff.entity?.onlyA ?? []) marks.set(id, Colour.DiffA);
    // Only-in-B entities are drawn where B has them (the overlay's ghosts), not at A's position.
  } else if (state.detail && state.detail.id === state.selected) {
    for (const id of state.detail.view) marks.set(id, Colour.InView);
  }
  for (const id of state.anomalyIds) marks.set(id, Colour.Anomaly);
  if (state.selected !== undefined) marks.set(state.selected, Colour.Selected);
  return marks;
}
