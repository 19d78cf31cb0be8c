// Reading the map's state through `window.aoiViewer.map` (client/src/main.ts).
import type { Page } from 'playwright-core';

export interface MapStats {
  aoiDrawn: number;
  aoiWatchers: number;
  aoiCapped: boolean;
  labels: boolean;
  heat: { cell: number; recordedCell: number; max: number; occupied: number } | undefined;
  scaleBar: number;
}

export interface MapHandle {
  fitToWorld(): void;
  setHeat(on: boolean): void;
  heatCountAt(x: number, y: number): number | null;
  readonly stats: MapStats;
  readonly colours: { index: number; rgb: [number, number, number] }[];
  readonly scale: number;
}

type WithMap = { aoiViewer?: { map: MapHandle } };

/** What the map drew last, its colours in use and its zoom. */
export async function mapState(page: Page) {
  return page.evaluate(() => {
    const map = (globalThis as unknown as WithMap).aoiViewer!.map;
    return { stats: map.stats, colours: map.colours, scale: map.scale };
  });
}
