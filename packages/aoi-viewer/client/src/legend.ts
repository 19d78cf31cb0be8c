import { element } from './dom.js';
import type { OverlayStats } from './overlay.js';
import {
  COLOUR_NAMES,
  Colour,
  css,
  HEIGHT_STEPS,
  heatRgba,
  LIFECYCLE_COLOURS,
  PALETTE,
  pathColour,
  rgbCss,
} from './palette.js';

/** What is on the map now, as the legend needs it. */
export interface LegendInput {
  /** Colour indices of the points drawn (base colours and marks). */
  colours: ReadonlySet<number>;
  /** Tag name per tag colour index. */
  tagNames: ReadonlyMap<number, string>;
  selected: boolean;
  path: 'time' | 'speed' | undefined;
  /** The selected entity's panel is open, so its lifecycle lane shows. */
  lifecycle: boolean;
  diffB: boolean;
  stats: OverlayStats;
  recordedBounds: boolean;
  /** The side view (x–z): no border, and the selected entity's radii are rectangles (cylinders seen side-on). */
  side?: boolean;
  /** Colour by height: the z range of the ramp (its steps are one item, not one each). */
  height?: { low: number; high: number } | undefined;
}

interface Item {
  key: string;
  label: string;
  /** A colour swatch, a line (dash pattern) or a gradient. */
  swatch: { rgb?: readonly number[]; css?: string; line?: 'solid' | 'dashed' | 'dotted'; gradient?: string[] };
}

/** One panel that explains every colour, stripe and line on the map (only those in use). */
export class Legend {
  private shown = '';

  constructor(private readonly list: HTMLElement) {}

  update(input: LegendInput): void {
    const items = legendItems(input);
    const key = JSON.stringify(items);
    if (key === this.shown) return;
    this.shown = key;
    this.list.replaceChildren(...items.map(render));
  }
}

function legendItems(input: LegendInput): Item[] {
  const items: Item[] = [];
  const colours = [...input.colours].sort((a, b) => a - b);
  const ramp = (index: number) => index >= Colour.Height0 && index < Colour.Height0 + HEIGHT_STEPS;
  for (const index of colours) {
    if (ramp(index)) continue;
    const label =
      index >= Colour.Tag0 ? `tag ${input.tagNames.get(index) ?? '?'}` : (COLOUR_NAMES[index] ?? `colour ${index}`);
    items.push({ key: `colour-${index}`, label, swatch: { rgb: PALETTE[index]! } });
  }
  if (input.height !== undefined) {
    const { low, high } = input.height;
    const steps = Array.from({ length: HEIGHT_STEPS }, (_, step) => rgbCss(PALETTE[Colour.Height0 + step]!));
    items.push({
      key: 'height',
      label: `height: z ${Number(low.toPrecision(6))} → ${Number(high.toPrecision(6))}`,
      swatch: { gradient: steps },
    });
  }
  if (input.selected) {
    items.push({
      key: 'view-radius',
      label: input.side ? 'view cylinder (selected)' : 'view radius (selected)',
      swatch: { css: css(Colour.Selected), line: 'solid' },
    });
    items.push({
      key: 'leave-radius',
      label: input.side ? 'leave cylinder (selected)' : 'leave radius (selected)',
      swatch: { css: css(Colour.Selected), line: 'dashed' },
    });
  }
  if (input.diffB) {
    items.push({ key: 'b-view-radius', label: 'view radius in B', swatch: { css: css(Colour.DiffB), line: 'solid' } });
    items.push({
      key: 'b-leave-radius',
      label: 'leave radius in B',
      swatch: { css: css(Colour.DiffB), line: 'dotted' },
    });
  }
  if (input.stats.aoiDrawn > 0)
    items.push({
      key: 'all-aoi',
      label: 'view radius (all watchers)',
      swatch: { css: css(Colour.Watcher, 0.5), line: 'solid' },
    });
  if (input.path !== undefined) {
    const label = input.path === 'time' ? 'path: old → new' : 'path: slow → fast';
    items.push({
      key: `path-${input.path}`,
      label,
      swatch: { gradient: [0, 0.5, 1].map((f) => pathColour(input.path!, f)) },
    });
  }
  if (input.lifecycle) {
    for (const [kind, rgb] of Object.entries(LIFECYCLE_COLOURS))
      items.push({ key: `lifecycle-${kind}`, label: `lifecycle stripe: ${kind}`, swatch: { rgb } });
  }
  const heat = input.stats.heat;
  if (heat !== undefined) {
    const cell = heat.cell === heat.recordedCell ? `${heat.cell}` : `${heat.cell} (recorded ${heat.recordedCell})`;
    items.push({
      key: 'heat',
      label: `entities per ${cell}-unit cell: 1 → ${heat.max}`,
      swatch: { gradient: [0, 0.5, 1].map((f) => rgbCss(heatRgba(f).slice(0, 3) as [number, number, number])) },
    });
  }
  if (input.side !== true)
    items.push({
      key: 'border',
      label: input.recordedBounds ? 'world bounds (recorded)' : 'world extent seen so far (with view radii)',
      swatch: { css: 'rgba(216, 221, 227, 0.6)', line: input.recordedBounds ? 'solid' : 'dashed' },
    });
  return items;
}

function render(item: Item): HTMLElement {
  const { swatch } = item;
  const style = swatch.gradient
    ? `background: linear-gradient(to right, ${swatch.gradient.join(', ')})`
    : swatch.line
      ? `border-top: 2px ${swatch.line} ${swatch.css}; height: 0; margin-top: 5px`
      : `background: ${swatch.rgb ? rgbCss(swatch.rgb as [number, number, number]) : swatch.css}`;
  const li = element('li', {}, { 'data-testid': 'legend-item', 'data-key': item.key });
  if (swatch.rgb) li.dataset.rgb = swatch.rgb.join(',');
  li.append(element('span', { className: 'swatch' }, { style }), element('span', { textContent: item.label }));
  return li;
}
