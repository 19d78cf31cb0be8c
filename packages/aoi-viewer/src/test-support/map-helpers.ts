// Reading the map's state through `window.aoiViewer.map` (client/src/main.ts).
import type { Page } from 'playwright-core';

export interface MapStats {
  aoiDrawn: number;
  aoiWatchers: number;
  aoiCapped: boolean;
  labels: boolean;
  heat: { cell: number; recordedCell: number; max: number; occupied: number } | undefined;
  scaleBar: number;
  selectedB: { id: number; x: number; y: number; viewRadius?: number; leaveRadius?: number } | undefined;
}

export interface MapHandle {
  fitToWorld(): void;
  setHeat(on: boolean): void;
  heatCountAt(x: number, y: number): number | null;
  readonly stats: MapStats;
  readonly colours: { index: number; rgb: [number, number, number] }[];
  readonly scale: number;
  toPage(x: number, y: number): { x: number; y: number };
}

type WithMap = { aoiViewer?: { map: MapHandle } };

/** What the map drew last, its colours in use and its zoom. */
export async function mapState(page: Page) {
  return page.evaluate(() => {
    const map = (globalThis as unknown as WithMap).aoiViewer!.map;
    return { stats: map.stats, colours: map.colours, scale: map.scale };
  });
}

/** Page coordinates of a world point. */
export async function worldToPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([wx, wy]) => (globalThis as unknown as WithMap).aoiViewer!.map.toPage(wx!, wy!), [x, y]);
}

/** The RGB strings ("r,g,b") of the legend's colour items. */
export async function legendRgbs(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="legend-item"][data-rgb]', (items) =>
    items.map((item) => (item as unknown as { dataset: { rgb: string } }).dataset.rgb),
  );
}

/** Euclidean distance of two colours. */
export const colourDistance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));

/** A page point as pixelAt's (x, y) arguments. */
export const xy = (p: { x: number; y: number }): [number, number] => [p.x, p.y];
