import type { EntityDetail } from '../../src/protocol/api-types.js';
import { byTestId, element, idList } from './dom.js';

const halfHeight = (h: number | null | undefined) =>
  h === null || h === undefined || h === Infinity ? '∞' : String(h);

/** The vertical half-heights of an entity with height (docs/aoi.md, "Height"), else nothing. */
function heightText(e: NonNullable<EntityDetail['entity']>): string {
  if (e.viewHeight === undefined && e.leaveHeight === undefined) return '';
  return ` · height ±${halfHeight(e.viewHeight)} / ±${halfHeight(e.leaveHeight ?? e.viewHeight)}`;
}

/** The selected entity: its state, view set, lifecycle lane (created / moved in / moved out / destroyed), events. */
export function renderEntityPanel(detail: EntityDetail | undefined, selected: number | undefined, now: number): void {
  const panel = byTestId('entity-panel');
  panel.hidden = selected === undefined;
  if (selected === undefined) return;
  byTestId('entity-id').textContent = `#${selected}`;
  if (detail === undefined || detail.id !== selected) {
    panel.dataset.tick = '';
    return;
  }
  panel.dataset.tick = String(detail.tick);
  const e = detail.entity;
  byTestId('entity-state').textContent = e
    ? `at (${e.x.toFixed(1)}, ${e.y.toFixed(1)}${e.z === undefined ? '' : `, z ${e.z.toFixed(1)}`})` +
      ` · view ${e.viewRadius} / leave ${e.leaveRadius}${heightText(e)}` +
      ` · ${e.watcher ? 'watcher' : ''}${e.watcher && e.marker ? '+' : ''}${e.marker ? 'marker' : ''}` +
      ` · tags ${e.tags.join(', ') || '-'} · created at ${e.spawnTick} · seen by ${detail.seenBy}`
    : `not alive at tick ${detail.tick}`;
  byTestId('entity-view-count').textContent = String(detail.view.length);
  byTestId('entity-view').textContent = idList(detail.view);

  const lane = byTestId('lifecycle-lane');
  const span = Math.max(1, detail.to - detail.from);
  const at = (tick: number) => `${((tick - detail.from) / span) * 100}%`;
  lane.replaceChildren(
    ...detail.lifecycle.map((mark) =>
      element(
        'div',
        {
          className: 'mark',
          title: `${mark.kind} at tick ${mark.tick}${mark.other === undefined ? '' : ` (${mark.role} of ${mark.other})`}`,
        },
        { 'data-kind': mark.kind, 'data-tick': String(mark.tick), style: `left: ${at(mark.tick)}` },
      ),
    ),
    element('div', { className: 'now' }, { style: `left: ${at(now)}` }),
  );
  lane.dataset.counts = ['created', 'moved-in', 'moved-out', 'destroyed']
    .map((kind) => `${kind}:${detail.lifecycle.filter((m) => m.kind === kind).length}`)
    .join(' ');

  renderEvents(detail, now);
}

/** The events around `now`: those at `now` highlighted, the list scrolled to the first one at or after it. */
function renderEvents(detail: EntityDetail, now: number): void {
  const list = byTestId('entity-events');
  let anchor: HTMLElement | undefined;
  const items = detail.events.map((event) => {
    const item = element(
      'li',
      {
        textContent: `tick ${event.tick}: ${event.kind} ${event.watcher} → ${event.target}`,
        className: event.tick === now ? 'current' : '',
      },
      { 'data-testid': 'entity-event', 'data-tick': String(event.tick) },
    );
    if (anchor === undefined && event.tick >= now) anchor = item;
    return item;
  });
  list.replaceChildren(
    ...items,
    ...(detail.truncated ? [element('li', { textContent: '… more events in this window' })] : []),
  );
  const target = anchor ?? items.at(-1);
  if (target !== undefined) {
    // The first event at or after the current tick is the list's top row.
    list.scrollTop = target.offsetTop;
  }
}
