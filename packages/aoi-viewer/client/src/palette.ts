/** Colour index per entity, as renderers take it. Tag colours follow the fixed ones (see {@link configurePalette}). */
export const Colour = {
  Watcher: 0,
  Passive: 1,
  Selected: 2,
  InView: 3,
  Highlight: 4,
  DiffA: 5,
  DiffB: 6,
  /** The entities of the anomaly being looked at: drawn over the view set's green so the partner stands out. */
  Anomaly: 7,
  /** Diff with nothing selected: a watcher whose view set differs (not the red of "only in A"). */
  DiffWatcher: 8,
  /** First of {@link TAG_SLOTS} tag colours. */
  Tag0: 9,
  /** First of {@link HEIGHT_STEPS} height ramp colours (colour by height), after the tag slots. */
  Height0: 17,
} as const;

/** How many tags get a colour of their own; entities with none of them keep the watcher / passive colour. */
export const TAG_SLOTS = 8;

/**
 * Steps of the height ramp, low z to high. Few: the renderers pick a palette entry per point, and WebGL's loop over
 * the palette runs for every point (2D traces included).
 */
export const HEIGHT_STEPS = 8;

/** Blue (low) through violet and pink to pale orange (high): apart from the background and bright on it. */
const HEIGHT_STOPS: readonly Rgb[] = [
  [60, 120, 235],
  [165, 95, 235],
  [240, 95, 160],
  [255, 205, 120],
];

function heightRamp(): Rgb[] {
  return Array.from({ length: HEIGHT_STEPS }, (_, step) => {
    const f = (step / (HEIGHT_STEPS - 1)) * (HEIGHT_STOPS.length - 1);
    const at = Math.min(Math.floor(f), HEIGHT_STOPS.length - 2);
    const [a, b] = [HEIGHT_STOPS[at]!, HEIGHT_STOPS[at + 1]!];
    const t = f - at;
    return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * t)) as unknown as Rgb;
  });
}

type Rgb = readonly [number, number, number];

/** Default colours of the tags, in tag order (bit 0 first); chosen apart from the mark colours above. */
const DEFAULT_TAG_COLOURS: readonly Rgb[] = [
  [130, 110, 255],
  [196, 160, 100],
  [38, 166, 154],
  [192, 202, 51],
  [244, 143, 177],
  [161, 120, 99],
  [120, 144, 156],
  [255, 171, 145],
];

/** RGB per colour index (the e2e tests read these back from the screen). Tag slots are filled by configurePalette. */
export const PALETTE: (readonly [number, number, number])[] = [
  [79, 140, 255],
  [154, 160, 166],
  [255, 212, 0],
  [46, 204, 113],
  [255, 140, 0],
  [255, 59, 48],
  [214, 59, 255],
  [0, 229, 255],
  [245, 245, 245],
  ...DEFAULT_TAG_COLOURS,
  ...heightRamp(),
];

export const BACKGROUND: readonly [number, number, number] = [17, 20, 24];

/** What each fixed colour means, for the legend. */
export const COLOUR_NAMES: Record<number, string> = {
  [Colour.Watcher]: 'watcher (no coloured tag)',
  [Colour.Passive]: 'not a watcher (no coloured tag)',
  [Colour.Selected]: 'selected',
  [Colour.InView]: 'in the selected entity’s view set',
  [Colour.Highlight]: 'search match',
  [Colour.DiffA]: 'seen only in A',
  [Colour.DiffB]: 'seen only in B (drawn at B’s position)',
  [Colour.Anomaly]: 'entity of the anomaly shown',
  [Colour.DiffWatcher]: 'watcher whose view set differs between A and B',
};

/** The selected entity's lifecycle lane stripes (entity panel); the CSS uses the same colours. */
export const LIFECYCLE_COLOURS: Readonly<Record<string, Rgb>> = {
  created: [46, 204, 113],
  'moved-in': [79, 140, 255],
  'moved-out': [255, 159, 67],
  destroyed: [255, 59, 48],
};

/** Tag bit -> colour index, or 255 for a tag without a colour of its own. */
export const tagColourOfBit = new Uint8Array(32).fill(255);

/**
 * Gives tags their colours: the first {@link TAG_SLOTS} tag names in order, with `overrides` (tag name -> "#rrggbb",
 * from the page's `?colors=player:ff8800,npc:33ccff`) replacing defaults. Call before the renderers are made: they
 * upload the palette once.
 */
export function configurePalette(tags: readonly string[], overrides: ReadonlyMap<string, Rgb>): void {
  tagColourOfBit.fill(255);
  for (let bit = 0; bit < Math.min(tags.length, TAG_SLOTS); bit++) {
    const index = Colour.Tag0 + bit;
    tagColourOfBit[bit] = index;
    PALETTE[index] = overrides.get(tags[bit]!) ?? DEFAULT_TAG_COLOURS[bit]!;
  }
}

/** Parses `name:rrggbb,name:#rgb,...`; entries that are not colours are skipped. */
export function parseColourOverrides(text: string | null): Map<string, Rgb> {
  const out = new Map<string, Rgb>();
  for (const entry of (text ?? '').split(',')) {
    const at = entry.lastIndexOf(':');
    if (at <= 0) continue;
    let hex = entry.slice(at + 1).replace(/^#/, '');
    if (/^[0-9a-f]{3}$/i.test(hex)) hex = [...hex].map((c) => c + c).join('');
    if (!/^[0-9a-f]{6}$/i.test(hex)) continue;
    const n = Number.parseInt(hex, 16);
    out.set(entry.slice(0, at), [(n >> 16) & 255, (n >> 8) & 255, n & 255]);
  }
  return out;
}

/** The base colour of an entity from its flags' watcher bit and its tag mask: its lowest coloured tag wins. */
export function baseColour(watcher: boolean, tagMask: number): number {
  let mask = tagMask;
  while (mask !== 0) {
    const low = mask & -mask;
    const index = tagColourOfBit[31 - Math.clz32(low)]!;
    if (index !== 255) return index;
    mask ^= low;
  }
  return watcher ? Colour.Watcher : Colour.Passive;
}

export const rgbCss = ([r, g, b]: Rgb, alpha = 1) =>
  alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;

export const css = (index: number, alpha = 1) => rgbCss(PALETTE[index]!, alpha);

/** Path colour at fraction f (0..1): time goes blue (old) to red (new), speed green (slow) to red (fast). */
export const pathColour = (by: 'time' | 'speed', f: number) =>
  by === 'time' ? `hsl(${240 - 240 * f}, 90%, 60%)` : `hsl(${120 - 120 * f}, 90%, 55%)`;

/** Heat layer ramp at fraction f (0..1 of the busiest cell), translucent over the points. */
export function heatRgba(f: number): [number, number, number, number] {
  const t = Math.max(0, Math.min(1, f));
  // dark purple -> orange -> pale yellow
  return [Math.round(80 + 175 * t), Math.round(20 + 200 * t * t), Math.round(120 * (1 - t) + 60 * t * t), 150];
}
