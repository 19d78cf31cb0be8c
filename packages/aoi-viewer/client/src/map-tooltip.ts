import { Flag } from '../../src/protocol/wire.js';
import { api } from './api.js';
import { element } from './dom.js';
import type { EntityTable } from './entity-table.js';

/** Formats a coordinate as the trace stores it (quantised), without trailing zeros. */
const num = (value: number) => String(Math.round(value * 1024) / 1024);

/**
 * The hover tooltip: id, tags, position, view / leave radius and flags straight from the tick's table, and the view
 * set's size asked from the server for that entity and tick (once per hovered entity and tick).
 */
export class MapTooltip {
  private readonly box = element('div', { className: 'map-tooltip', hidden: true }, { 'data-testid': 'map-tooltip' });
  private asked = '';

  constructor(
    container: HTMLElement,
    private readonly tagNames: () => readonly string[],
  ) {
    container.append(this.box);
  }

  hide(): void {
    this.box.hidden = true;
    this.asked = '';
  }

  /** Shows entity `slot` of `table` beside page-relative point (sx, sy). */
  show(table: EntityTable, slot: number, sx: number, sy: number): void {
    const id = table.ids[slot]!;
    const tick = table.tick;
    const mask = table.tagMasks[slot]!;
    const names = this.tagNames();
    const tags = names.filter((_, bit) => mask & (1 << bit));
    const flags = table.flags[slot]!;
    const roles = [flags & Flag.Watcher ? 'watcher' : '', flags & Flag.Marker ? 'marker' : ''].filter(Boolean);
    const key = `${id}@${tick}`;
    if (key !== this.asked) {
      this.asked = key;
      const rows: [string, string, string][] = [
        ['id', 'entity', `#${id}`],
        ['tags', 'tags', tags.join(', ') || '-'],
        ['position', 'at', `(${num(table.xs[slot]!)}, ${num(table.ys[slot]!)}${zText(table, slot)})`],
        ['radii', 'view / leave', `${num(table.viewRadii[slot]!)} / ${num(table.leaveRadii[slot]!)}`],
        ['roles', 'is', roles.join(' + ') || '-'],
        ['view-size', 'view set', '…'],
      ];
      this.box.replaceChildren(
        ...rows.map(([field, label, value]) => {
          const row = element('div', {}, { 'data-field': field });
          row.append(
            element('span', { className: 'k', textContent: `${label} ` }),
            element('b', { textContent: value }),
          );
          return row;
        }),
      );
      this.box.dataset.id = String(id);
      this.box.dataset.tick = String(tick);
      this.box.dataset.viewSize = '';
      void api.entity('a', id, tick, tick, tick).then(
        (detail) => {
          if (this.asked !== key) return;
          const value = this.box.querySelector('[data-field="view-size"] b');
          if (value) value.textContent = `${detail.view.length} (seen by ${detail.seenBy})`;
          this.box.dataset.viewSize = String(detail.view.length);
        },
        () => {},
      );
    }
    this.box.hidden = false;
    this.box.style.left = `${sx + 14}px`;
    this.box.style.top = `${sy + 14}px`;
  }
}

/** `, z 12` for an entity of a trace with height. */
function zText(table: EntityTable, slot: number): string {
  const zs = table.height?.zs;
  return zs === undefined ? '' : `, z ${num(zs[slot]!)}`;
}
