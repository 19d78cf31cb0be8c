import type { AnomalyFinding, DetectionStatus } from '../../src/protocol/api-types.js';
import { detectorColour } from './detector-colours.js';
import { byTestId, element } from './dom.js';

/** Rows the list holds at most (the timeline still marks every finding). */
const MAX_LISTED = 5000;

/**
 * The anomaly list with honest counts ("500 of 586 shown", "detectors running…"), a filter per detector, and the
 * findings at the current tick highlighted and scrolled into view.
 */
export class AnomalyPanel {
  readonly hidden = new Set<string>();
  /** Called when the filters change (the timeline redraws its markers). */
  onFilter: () => void = () => {};
  private findings: readonly AnomalyFinding[] = [];
  private status: DetectionStatus = { state: 'off', counts: {} };
  private shown: readonly AnomalyFinding[] = [];
  private items: HTMLElement[] = [];
  private current: HTMLElement[] = [];
  private anchor = -2;
  /** What the filters show, so a poll that changes nothing does not rebuild them under the pointer. */
  private filtersKey = '';
  private readonly list = byTestId('anomaly-list');

  constructor(private readonly onPick: (finding: AnomalyFinding) => void) {}

  set(findings: readonly AnomalyFinding[], status: DetectionStatus): void {
    this.findings = findings;
    this.status = status;
    this.render();
  }

  setStatus(status: DetectionStatus): void {
    this.status = status;
    this.renderCounts();
  }

  /** The findings of the detectors not filtered out, by tick. */
  visible(): readonly AnomalyFinding[] {
    return this.shown;
  }

  /** Highlights the findings at `tick` and keeps the first finding at or after it in view. */
  showTick(tick: number): void {
    let lo = 0;
    let hi = Math.min(this.shown.length, this.items.length);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.shown[mid]!.tick < tick) lo = mid + 1;
      else hi = mid;
    }
    for (const item of this.current) item.classList.remove('current');
    this.current = [];
    for (let i = lo; i < this.items.length && this.shown[i]!.tick === tick; i++) {
      this.items[i]!.classList.add('current');
      this.current.push(this.items[i]!);
    }
    if (lo === this.anchor) return;
    this.anchor = lo;
    const item = this.items[Math.min(lo, this.items.length - 1)];
    if (item !== undefined) keepInView(this.list, item);
  }

  private render(): void {
    this.shown = this.findings.filter((f) => !this.hidden.has(f.detector));
    this.items = this.shown.slice(0, MAX_LISTED).map((finding) => {
      const button = element('button', { onclick: () => this.onPick(finding) });
      button.append(
        element('span', { className: 'swatch' }, { style: `background: ${detectorColour(finding.detector)}` }),
        `tick ${finding.tick} · ${finding.detector}: ${finding.message}`,
      );
      const item = element(
        'li',
        {},
        { 'data-testid': 'anomaly-item', 'data-tick': String(finding.tick), 'data-detector': finding.detector },
      );
      item.append(button);
      return item;
    });
    const more =
      this.shown.length > MAX_LISTED
        ? [element('li', { textContent: `… the first ${MAX_LISTED} of ${this.shown.length} are listed` })]
        : [];
    this.list.replaceChildren(...this.items, ...more);
    this.current = [];
    this.anchor = -2;
    this.renderCounts();
  }

  private renderCounts(): void {
    const listed = countBy(this.findings);
    const detectors = [...new Set([...Object.keys(this.status.counts), ...listed.keys()])].sort();
    const total = (d: string) => Math.max(listed.get(d) ?? 0, this.status.counts[d] ?? 0);
    byTestId('anomaly-count').textContent = countText(
      this.findings.length,
      detectors.reduce((sum, d) => sum + total(d), 0),
      this.status,
    );
    const key = detectors.map((d) => `${d}:${listed.get(d) ?? 0}:${total(d)}:${this.hidden.has(d)}`).join(' ');
    if (key === this.filtersKey) return;
    this.filtersKey = key;
    byTestId('anomaly-filters').replaceChildren(
      ...detectors.map((d) => {
        const box = element('input', { type: 'checkbox', checked: !this.hidden.has(d) });
        box.addEventListener('change', () => {
          if (box.checked) this.hidden.delete(d);
          else this.hidden.add(d);
          this.render();
          this.onFilter();
        });
        const n = listed.get(d) ?? 0;
        const label = element('label', {}, { 'data-testid': 'anomaly-filter', 'data-detector': d });
        label.append(
          box,
          element('span', { className: 'swatch' }, { style: `background: ${detectorColour(d)}` }),
          `${d} ${n < total(d) ? `${n} of ${total(d)}` : n}`,
        );
        return label;
      }),
    );
  }
}

/** "(12)", "(500 of 586 shown)", "(detectors running…)", ... */
export function countText(listed: number, total: number, status: DetectionStatus): string {
  if (status.state === 'failed') return `(${listed} · detectors failed: ${status.error ?? 'unknown error'})`;
  if (listed === 0 && status.state === 'running') return '(detectors running…)';
  if (listed === 0 && status.state === 'off') return '(detectors not run)';
  const base = total > listed ? `${listed} of ${total} shown` : String(listed);
  return status.state === 'running' ? `(${base} · detectors running…)` : `(${base})`;
}

function countBy(findings: readonly AnomalyFinding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.detector, (counts.get(f.detector) ?? 0) + 1);
  return counts;
}

/** Scrolls `list` (a positioned scroll box) so `item` is visible, a third from the top when it has to move. */
export function keepInView(list: HTMLElement, item: HTMLElement): void {
  const top = item.offsetTop;
  if (top >= list.scrollTop && top + item.offsetHeight <= list.scrollTop + list.clientHeight) return;
  list.scrollTop = Math.max(0, top - list.clientHeight / 3);
}
