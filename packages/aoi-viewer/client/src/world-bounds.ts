import type { EntityTable } from './entity-table.js';

/**
 * The world's extent: the trace's recorded `world.bounds` attribute ("minX,minY,maxX,maxY") or, for a trace of
 * `aoi-trace simulate`, the map [-half, half]^2 of its recorded options, when it has one;
 * otherwise every view circle seen so far (position +- view radius: entities at the edge stay off the border line;
 * it only grows, so the border does not jump while playing).
 */
export class WorldBounds {
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;
  /** True when the bounds come from the trace's attributes, not from the positions seen. */
  readonly recorded: boolean;

  constructor(attributes: Readonly<Record<string, string>> | undefined) {
    const parts = (attributes?.['world.bounds'] ?? simulatedBounds(attributes?.['simulate.options']))
      .split(',')
      .map(Number);
    this.recorded =
      parts.length === 4 && parts.every(Number.isFinite) && parts[0]! < parts[2]! && parts[1]! < parts[3]!;
    if (this.recorded) [this.minX, this.minY, this.maxX, this.maxY] = parts as [number, number, number, number];
  }

  get empty(): boolean {
    return !(this.minX <= this.maxX);
  }

  /** Grows the bounds to hold every entity of `table`; returns true when they changed. */
  include(table: EntityTable): boolean {
    if (this.recorded) return false;
    let { minX, minY, maxX, maxY } = this;
    const { xs, ys, viewRadii } = table;
    for (let i = 0; i < table.count; i++) {
      const r = Math.max(1, viewRadii[i]!);
      const x = xs[i]!;
      const y = ys[i]!;
      if (x - r < minX) minX = x - r;
      if (x + r > maxX) maxX = x + r;
      if (y - r < minY) minY = y - r;
      if (y + r > maxY) maxY = y + r;
    }
    const changed = minX !== this.minX || minY !== this.minY || maxX !== this.maxX || maxY !== this.maxY;
    Object.assign(this, { minX, minY, maxX, maxY });
    return changed;
  }
}

/** "minX,minY,maxX,maxY" from `aoi-trace simulate`'s recorded options (its map is [-half, half]^2), or "". */
function simulatedBounds(options: string | undefined): string {
  try {
    const half = Number((JSON.parse(options ?? 'null') as { half?: unknown } | null)?.half);
    return half > 0 ? `${-half},${-half},${half},${half}` : '';
  } catch {
    return '';
  }
}
