import type { DiffResult } from '../../src/protocol/api-types.js';
import { byTestId, idList } from './dom.js';
import type { Playback } from './playback.js';

/** The diff toggle and what to diff against: another tick of this trace, or the same tick of trace B. */
export function setUpDiff(hasTraceB: boolean, playback: Playback, onToggle: (on: boolean) => void): void {
  const toggle = byTestId<HTMLInputElement>('diff-toggle');
  const against = byTestId<HTMLSelectElement>('diff-against');
  const tick = byTestId<HTMLInputElement>('diff-tick');
  const traceOption = against.querySelector<HTMLOptionElement>('option[value="trace"]')!;
  traceOption.disabled = !hasTraceB;
  const changed = () => {
    byTestId('diff-panel').hidden = !toggle.checked;
    tick.disabled = against.value === 'trace';
    if (toggle.checked && tick.value === '' && against.value === 'time') tick.value = String(playback.tick);
    onToggle(toggle.checked);
  };
  toggle.addEventListener('change', changed);
  against.addEventListener('change', changed);
  tick.addEventListener('change', changed);
}

export function renderDiff(diff: DiffResult): void {
  const b = diff.b.source === diff.a.source ? `tick ${diff.b.tick}` : `trace B at tick ${diff.b.tick}`;
  const summary = byTestId('diff-summary');
  summary.textContent =
    `A = tick ${diff.a.tick}, B = ${b}: ${diff.watchersDiffering} watchers differ; ` +
    `${diff.pairsOnlyA} pairs only in A, ${diff.pairsOnlyB} only in B`;
  summary.dataset.watchers = String(diff.watchersDiffering);
  summary.dataset.onlyA = String(diff.pairsOnlyA);
  summary.dataset.onlyB = String(diff.pairsOnlyB);
  const entity = diff.entity;
  byTestId('diff-entity').textContent = entity
    ? `#${entity.id} sees only in A: ${idList(entity.onlyA) || '-'}; only in B: ${idList(entity.onlyB) || '-'}`
    : '';
}
